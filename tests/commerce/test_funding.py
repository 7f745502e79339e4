"""Funding of a booking: who pays what, adding up to the price excl. VAT; the shares invoicing reads."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from academy.commerce.funding import FundingMismatch, FundingShare, booking_price_excl_vat, set_funding, shares_for
from academy.commerce.models import FundingLine
from academy.core.models import AuditLogEntry
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.privacy import client_contact_user, staff_planner, trainee_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    """Two confirmed trainees at 950.00 € each, for « Société Exemple »."""
    return enrol_people(open_session(), trainee(1), trainee(2))


def opco_line(amount: str, **kwargs) -> dict:
    return {
        "payer_kind": "opco",
        "payer_name": "OPCO Atlas",
        "agreement_number": "APC-2026-0042",
        "amount_excl_vat": Decimal(amount),
        "direct_payment": True,
        **kwargs,
    }


def client_line(booking, amount: str) -> dict:
    return {
        "payer_kind": "client",
        "payer_name": booking.client_organisation.name,
        "client_organisation": booking.client_organisation,
        "amount_excl_vat": Decimal(amount),
    }


def test_the_share_dataclass_has_the_agreed_fields_and_is_frozen():
    names = [field.name for field in dataclasses.fields(FundingShare)]
    assert names == [
        "payer_kind",
        "payer_name",
        "client_organisation_id",
        "email",
        "address",
        "agreement_number",
        "amount_excl_vat",
        "direct_payment",
        "funding_type",
    ]
    share = FundingShare("client", "X", None, "", "", "", Decimal("1.00"), False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        share.amount_excl_vat = Decimal(0)


def test_the_price_is_the_unit_price_times_the_confirmed_trainees(booking):
    assert booking_price_excl_vat(booking) == Decimal("1900.00")


def test_without_recorded_funding_the_client_organisation_pays_the_whole_price(booking):
    [share] = shares_for(booking)
    assert (share.payer_kind, share.payer_name, share.client_organisation_id) == (
        "client",
        "Société Exemple",
        booking.client_organisation_id,
    )
    assert share.amount_excl_vat == Decimal("1900.00") and share.email == "contact@exemple.fr"


def test_without_organisation_or_funding_the_contact_pays_as_a_person():
    booking = enrol_people(open_session(), trainee(1), organisation_name="", funding="personal")
    [share] = shares_for(booking)
    assert (share.payer_kind, share.payer_name, share.amount_excl_vat) == (
        "person",
        "Camille Contact",
        Decimal("950.00"),
    )


def test_an_opco_with_direct_payment_and_the_employer_share_the_price(booking):
    set_funding(booking, [opco_line("1500.00"), client_line(booking, "400.00")])
    opco, client = shares_for(booking)
    assert (opco.payer_kind, opco.agreement_number, opco.direct_payment, opco.amount_excl_vat) == (
        "opco",
        "APC-2026-0042",
        True,
        Decimal("1500.00"),
    )
    assert (client.client_organisation_id, client.amount_excl_vat) == (
        booking.client_organisation_id,
        Decimal("400.00"),
    )
    entry = AuditLogEntry.objects.get(event="funding.set")
    assert entry.data["price_excl_vat"] == "1900.00" and len(entry.data["shares"]) == 2


def test_amounts_not_adding_up_are_refused_with_the_difference_and_nothing_is_saved(booking):
    set_funding(booking, [client_line(booking, "1900.00")])
    with pytest.raises(FundingMismatch) as caught:
        set_funding(booking, [opco_line("1500.00"), client_line(booking, "300.00")])
    assert caught.value.messages == [
        "Les montants totalisent 1\xa0800,00 € mais le prix HT est de 1\xa0900,00 € : écart de 100,00 €."
    ]
    assert caught.value.difference == Decimal("100.00")
    assert list(FundingLine.objects.values_list("payer_kind", flat=True)) == ["client"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            {"payer_kind": "bank", "payer_name": "X", "amount_excl_vat": Decimal("1900.00")},
            "Ligne 1 : indiquez qui paie",
        ),
        (
            {"payer_kind": "client", "payer_name": " ", "amount_excl_vat": Decimal("1900.00")},
            "Ligne 1 : indiquez le nom",
        ),
        ({"payer_kind": "client", "payer_name": "X", "amount_excl_vat": Decimal("0")}, "Ligne 1 : le montant doit"),
        ({"payer_kind": "client", "payer_name": "X", "amount_excl_vat": Decimal("1.001")}, "au plus deux décimales"),
        (
            {"payer_kind": "person", "payer_name": "X", "amount_excl_vat": Decimal("1900.00"), "direct_payment": True},
            "seul un OPCO",
        ),
        (opco_line("1900.00", agreement_number=""), "numéro d’accord de prise en charge"),
    ],
)
def test_an_incomplete_line_is_refused_naming_the_line(booking, line, message):
    with pytest.raises(ValidationError, match=message):
        set_funding(booking, [line])
    assert not FundingLine.objects.exists()


def test_a_booking_without_price_cannot_be_funded():
    booking = enrol_people(open_session(price_excl_vat=None, course__price_excl_vat=None), trainee(1))
    assert shares_for(booking) == []
    with pytest.raises(ValidationError, match="n’a pas de prix"):
        set_funding(booking, [client_line(booking, "1.00")])


def test_a_line_for_a_trainee_of_another_booking_is_refused(booking):
    stranger = enrol_people(open_session(), trainee(9)).enrolments.get()
    with pytest.raises(ValidationError, match="Ligne 1 : ce stagiaire ne fait pas partie"):
        set_funding(booking, [{**client_line(booking, "1900.00"), "enrolment": stranger}])


def form_post(booking, *rows) -> dict:
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", "lines-MAX_NUM_FORMS": "20"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data["lines-%d-%s" % (i, key)] = value
    return data


def test_the_staff_page_saves_lines_that_add_up(client, booking):
    client.force_login(staff_planner())
    url = reverse("commerce:booking_funding", kwargs={"pk": booking.pk})
    page = client.get(url).content.decode()
    assert "1\xa0900,00 €" in page and "Société Exemple" in page
    response = client.post(
        url,
        form_post(
            booking,
            {
                "payer_kind": "opco",
                "payer_name": "OPCO Atlas",
                "agreement_number": "APC-1",
                "amount_excl_vat": "1000",
                "direct_payment": "on",
            },
            {"payer_kind": "client", "payer_name": "Société Exemple", "amount_excl_vat": "900.00"},
            {},
        ),
    )
    assert response.status_code == 302
    assert [s.payer_kind for s in shares_for(booking)] == ["opco", "client"]
    assert shares_for(booking)[1].client_organisation_id == booking.client_organisation_id


def test_the_staff_page_shows_the_difference_when_amounts_do_not_add_up(client, booking):
    client.force_login(staff_planner())
    url = reverse("commerce:booking_funding", kwargs={"pk": booking.pk})
    response = client.post(
        url, form_post(booking, {"payer_kind": "client", "payer_name": "S", "amount_excl_vat": "1000"})
    )
    assert response.status_code == 400
    assert "Écart : 900,00 €" in response.content.decode()
    assert not FundingLine.objects.exists()


def test_a_half_filled_row_names_the_missing_fields(client, booking):
    client.force_login(staff_planner())
    url = reverse("commerce:booking_funding", kwargs={"pk": booking.pk})
    response = client.post(url, form_post(booking, {"payer_name": "Société Exemple"}))
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()


@pytest.mark.parametrize("make_user", [trainee_user, client_contact_user])
def test_people_outside_staff_never_reach_the_funding_page(client, booking, make_user):
    client.force_login(make_user())
    response = client.get(reverse("commerce:booking_funding", kwargs={"pk": booking.pk}))
    assert response.status_code in (302, 403, 404)
