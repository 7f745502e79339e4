"""Legal pages generated from the organisation's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.core import TrainingOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return TrainingOrganisationFactory(
        host_name="Hébergeur Exemple SAS, 1 rue du Serveur, 59100 Roubaix",
        dpo_email="dpo@academie.exemple",
        legal_representative_title="Présidente",
        phone="+33 1 23 45 67 89",
    )


def test_the_legal_notice_names_publisher_siret_nda_host_and_director(client, organisation):
    html = client.get(reverse("compliance:legal_notice")).content.decode()
    for expected in (
        "Académie Exemple SAS",
        "123\u00a0456\u00a0789\u00a000015",  # SIRET, in groups
        "11759999975",
        "Hébergeur Exemple SAS",
        "Camille Martin, Présidente",
        "Directeur·rice de la publication",
        "Hébergeur",
        "cet enregistrement ne vaut pas agrément de l’État",
    ):
        assert expected in html


def test_the_privacy_policy_names_controller_purposes_retention_rights_and_cnil(client, organisation):
    html = client.get(reverse("privacy:policy")).content.decode()
    for expected in (
        "Académie Exemple SAS",
        "dpo@academie.exemple",
        "Base légale",
        "25 mois",
        "3 ans après la fin de l’année de la session",
        "www.cnil.fr/fr/plaintes",
        "Vos droits",
    ):
        assert expected in html


def test_the_accessibility_statement_says_partially_compliant_with_contact_and_recourse(client, organisation):
    html = client.get(reverse("compliance:accessibility")).content.decode()
    for expected in (
        "Ce site est partiellement conforme avec le RGAA version 4.1",
        "accessibilite@academie.exemple",
        "Alex Dupont",
        "Voies de recours",
        "Défenseur des droits, Libre réponse 71120",
    ):
        assert expected in html


def test_the_legal_pages_work_before_any_organisation_is_loaded(client):
    for name in ("compliance:legal_notice", "compliance:accessibility", "privacy:policy", "privacy:cookies"):
        assert client.get(reverse(name)).status_code == 200


def test_the_legal_pages_exist_in_english(client, organisation):
    html = client.get("/en" + reverse("compliance:legal_notice")).content.decode()
    assert "Legal notice" in html and "Director of publication" in html


def test_every_page_links_to_the_legal_pages(client, organisation):
    html = client.get("/").content.decode()
    for name in ("compliance:legal_notice", "privacy:policy", "privacy:cookies", "compliance:accessibility"):
        assert 'href="%s"' % reverse(name) in html
