"""Drafting a booking's (or a session's) invoices from its funding shares, once per payer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from academy.commerce.funding import set_funding
from academy.invoicing.from_funding import draft_invoices_for_booking, draft_invoices_for_session
from academy.invoicing.models import Invoice
from academy.invoicing.services import credit_invoice, issue_invoice
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.privacy import staff_planner

from .helpers import organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    """Two confirmed trainees at 950.00 € each, for « Société Exemple » with a billing address."""
    booking = enrol_people(open_session(), trainee(1), trainee(2))
    booking.client_organisation.address = "5, place du Client\n69002 Lyon"
    booking.client_organisation.save()
    return booking


def opco_and_client(booking):
    set_funding(
        booking,
        [
            {
                "payer_kind": "opco",
                "payer_name": "OPCO Atlas",
                "address": "1, rue de l'OPCO\n75013 Paris",
                "agreement_number": "APC-2026-0042",
                "amount_excl_vat": Decimal("1500.00"),
                "direct_payment": True,
            },
            {
                "payer_kind": "client",
                "payer_name": booking.client_organisation.name,
                "client_organisation": booking.client_organisation,
                "address": booking.client_organisation.address,
                "amount_excl_vat": Decimal("400.00"),
            },
        ],
    )


def test_an_opco_share_and_a_client_share_draft_two_invoices_with_the_agreement_number(booking):
    opco_and_client(booking)

    outcome = draft_invoices_for_booking(booking)

    opco, client = sorted(outcome.created, key=lambda i: i.payer_kind != "opco")
    assert (opco.payer_kind, opco.agreement_number, opco.direct_payment, opco.status) == (
        "opco",
        "APC-2026-0042",
        True,
        Invoice.Status.DRAFT,
    )
    assert (client.payer_kind, client.client_organisation, client.direct_payment) == (
        "client",
        booking.client_organisation,
        False,
    )
    assert [line.unit_price for line in opco.lines.all()] == [Decimal("1500.00")]
    assert [line.unit_price for line in client.lines.all()] == [Decimal("400.00")]
    assert "2 trainees" in client.lines.get().description
    assert (opco.booking, opco.course_session) == (booking, booking.course_session)


def test_without_funding_lines_the_client_organisation_is_drafted_the_whole_price(booking):
    [invoice] = draft_invoices_for_booking(booking).created

    assert (invoice.payer_kind, invoice.bill_to_name, invoice.lines.get().unit_price) == (
        "client",
        "Société Exemple",
        Decimal("1900.00"),
    )


def test_drafting_again_creates_no_second_invoice_for_the_same_payer(booking):
    opco_and_client(booking)
    draft_invoices_for_booking(booking)

    outcome = draft_invoices_for_booking(booking)

    assert outcome.created == []
    assert outcome.skipped == [
        "Booking of Société Exemple: OPCO Atlas already has an invoice.",
        "Booking of Société Exemple: Société Exemple already has an invoice.",
    ]
    assert booking.invoices.count() == 2


def test_a_payer_whose_invoice_was_credited_is_drafted_again(booking):
    organisation()
    [invoice] = draft_invoices_for_booking(booking).created
    credit_invoice(issue_invoice(invoice), reason="Erreur de tarif")

    [again] = draft_invoices_for_booking(booking).created

    assert again.pk != invoice.pk
    assert again.status == Invoice.Status.DRAFT


def test_a_payer_without_address_keeps_no_draft_of_the_booking_and_says_why(booking):
    opco_and_client(booking)
    booking.funding_lines.filter(payer_kind="client").update(address="")

    outcome = draft_invoices_for_booking(booking)

    assert outcome.created == []
    assert outcome.errors == [
        "Booking of Société Exemple: The billing address of Société Exemple is empty.",
    ]
    assert booking.invoices.count() == 0


def test_a_session_drafts_the_invoices_of_each_of_its_bookings(booking):
    other = enrol_people(booking.course_session, trainee(3), organisation_name="Autre SARL")
    other.client_organisation.address = "9, rue Autre\n13001 Marseille"
    other.client_organisation.save()

    outcome = draft_invoices_for_session(booking.course_session)

    assert sorted(invoice.bill_to_name for invoice in outcome.created) == ["Autre SARL", "Société Exemple"]


def test_staff_draft_a_booking_from_its_funding_page_and_are_sent_back_there(client, booking):
    client.force_login(staff_planner())

    response = client.post(reverse("invoicing:draft_booking", kwargs={"pk": booking.pk}), follow=True)

    assert response.redirect_chain[-1][0] == reverse("commerce:booking_funding", kwargs={"pk": booking.pk})
    assert "1 draft invoice created: check it and issue it." in response.content.decode()
    assert "Draft invoices from funding" in response.content.decode()


def test_staff_draft_a_whole_session_and_land_on_the_draft_invoices(client, booking):
    client.force_login(staff_planner())

    response = client.post(reverse("invoicing:draft_session", kwargs={"pk": booking.course_session_id}))

    assert response.url == reverse("invoicing:list") + "?status=draft"
    assert Invoice.objects.filter(booking=booking, status=Invoice.Status.DRAFT).count() == 1
