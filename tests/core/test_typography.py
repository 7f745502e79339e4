"""French typography handled once: elision, contraction, no-break spaces, numbers and money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from academy.core.typography import NBSP, NNBSP, decimal, french_spacing, money, money_excl_vat, money_incl_vat, of


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Inès", "d’Inès"),
        ("Les communs numériques", "des communs numériques"),
        ("Le numérique responsable", "du numérique responsable"),
        ("la data", "de la data"),
        ("Hélène", "d’Hélène"),
        ("Émilie", "d’Émilie"),
        ("Paul", "de Paul"),
        ("OpenStreetMap", "d’OpenStreetMap"),
        ("huit stagiaires", "de huit stagiaires"),
        ("", ""),
    ],
)
def test_of_elides_and_contracts_in_french(name, expected):
    with translation.override("fr"):
        assert of(name) == expected


def test_a_persons_name_never_contracts_and_english_says_of():
    with translation.override("fr"):
        assert of("Le Goff Marie", contract=False) == "de Le Goff Marie"
    with translation.override("en"):
        assert of("Inès") == "of Inès"


def test_french_spacing_puts_no_break_spaces_but_leaves_times_and_urls():
    with translation.override("fr"):
        text = french_spacing("Lieu: Paris; à 12:30 — voir https://exemple.fr/a:b ! « communs »?")
        assert (
            text
            == "Lieu"
            + NBSP
            + ": Paris"
            + NNBSP
            + "; à 12:30 — voir https://exemple.fr/a:b"
            + NNBSP
            + "! «"
            + NBSP
            + "communs"
            + NBSP
            + "»"
            + NNBSP
            + "?"
        )
    with translation.override("en"):
        assert french_spacing("Place: Paris") == "Place: Paris"


def test_numbers_and_money_follow_the_locale():
    with translation.override("fr"):
        assert decimal(Decimal("4.6"), 2) == "4,60"
        assert money_excl_vat(Decimal("950")) == "950,00" + NBSP + "€ HT"
        assert money_incl_vat(Decimal("1140")) == "1" + NBSP + "140,00" + NBSP + "€ TTC"
        assert decimal(Decimal("4.555"), 2) == "4,56"  # half-up, not banker's
    with translation.override("en"):
        assert decimal(Decimal("4.6"), 2) == "4.60"
        assert money(Decimal("950")) == "€950.00"


def test_the_filters_are_used_by_templates_in_the_active_language():
    template = Template("{% load academy %}{{ name|of }} · {{ mean|decimal:2 }} / 5 · {{ price|money_excl_vat }}")
    with translation.override("fr"):
        text = template.render(Context({"name": "Les communs", "mean": Decimal("4.6"), "price": Decimal("950")}))
    assert text == "des communs · 4,60 / 5 · 950,00" + NBSP + "€ HT"


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_money_reads_back_to_the_same_amount(amount):
    with translation.override("fr"):
        text = money(amount)
    assert Decimal(text.replace(NBSP, "").replace("\u202f", "").replace("€", "").replace(",", ".")) == amount


def test_a_siret_reads_in_groups_and_anything_else_stays_as_typed():
    from academy.core.templatetags.academy import siret

    assert siret("12345678900015") == "123\u00a0456\u00a0789\u00a000015"
    assert siret("") == "" and siret(None) == "" and siret("1234") == "1234"


@pytest.mark.django_db
def test_the_footer_and_legal_notice_show_the_siret_in_groups(client):
    from tests.factories.core import TrainingOrganisationFactory

    TrainingOrganisationFactory(siret="12345678900015")
    page = client.get(reverse("compliance:legal_notice"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert page.count("123\u00a0456\u00a0789\u00a000015") >= 2  # footer and notice
    assert "12345678900015" not in page
