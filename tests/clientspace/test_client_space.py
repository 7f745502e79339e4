"""The client space: a contact sees and downloads their own organisation's documents, and only those."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from academy.certification.services import issue_certificate
from academy.clientspace.models import DocumentSharing
from academy.commerce import agreements, quotes
from academy.commerce.funding import set_funding
from academy.commerce.models import Quote, QuoteLine
from academy.core.models import TrainingOrganisation
from academy.invoicing.from_funding import draft_invoices_for_booking
from academy.invoicing.services import issue_invoice
from tests.attendance.helpers import two_day_session
from tests.commerce.factories import published_terms
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.attendance import sign_slot
from tests.factories.catalog import LearningObjectiveFactory
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import client_contact_user, staff_planner
from tests.invoicing.helpers import organisation

pytestmark = pytest.mark.django_db

NEXT_YEAR = __import__("datetime").date(2099, 1, 1)


def issued_quote(client_organisation, name: str) -> Quote:
    quote = Quote.objects.create(
        client_organisation=client_organisation,
        organisation_name=name,
        contact_name="Camille Martin",
        contact_email="camille@exemple.fr",
        valid_until=NEXT_YEAR,
    )
    QuoteLine.objects.create(
        quote=quote, description="Jours intra", quantity=Decimal("2"), unit_price_excl_vat=Decimal("1000.00")
    )
    return quotes.issue(quote)


def invoiced_booking(name: str, *people):
    """A booking of ``name`` funded by an OPCO (direct payment, 1 500 €) and the client (the rest), both issued."""
    session = open_session()
    LearningObjectiveFactory(course=session.course, text="Cartographier les communs numériques")
    booking = enrol_people(session, *people, organisation_name=name)
    booking.client_organisation.address = "5, place du Client\n69002 Lyon"
    booking.client_organisation.save()
    price = Decimal("950.00") * len(people)
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
                "payer_name": name,
                "client_organisation": booking.client_organisation,
                "address": booking.client_organisation.address,
                "amount_excl_vat": price - Decimal("1500.00"),
            },
        ],
    )
    for invoice in draft_invoices_for_booking(booking).created:
        issue_invoice(invoice)
    return booking


@pytest.fixture
def world():
    """Our organisation and another one, each with an issued quote, an issued agreement and two invoices."""
    organisation()
    published_terms(version=1)
    ours = invoiced_booking("Coopérative Ñandú", trainee(1), trainee(2))
    theirs = invoiced_booking("Autre Société", trainee(3), trainee(4))
    return {
        "ours": ours.client_organisation,
        "our_booking": ours,
        "our_quote": issued_quote(ours.client_organisation, "Coopérative Ñandú"),
        "their_quote": issued_quote(theirs.client_organisation, "Autre Société"),
        "our_agreement": agreements.issue(agreements.draft_from_booking(ours)),
        "their_agreement": agreements.issue(agreements.draft_from_booking(theirs)),
        "our_invoice": ours.invoices.get(payer_kind="client"),
        "their_invoice": theirs.invoices.get(payer_kind="client"),
        "our_opco_invoice": ours.invoices.get(payer_kind="opco"),
    }


@pytest.fixture
def contact(client, world):
    client.force_login(client_contact_user(client_organisation=world["ours"]))
    return client


def test_the_contact_sees_their_quotes_agreements_invoices_and_bookings_with_the_answer_and_signing_links(
    contact, world
):
    page = contact.get(reverse("clientspace:home")).content.decode()

    assert world["our_quote"].reference in page
    # The links carry signed tokens dated to the second: read them back rather than rebuild them.
    answer_prefix = quotes.answer_path(world["our_quote"]).rsplit("/", 2)[0] + "/"
    answer_tokens = re.findall(re.escape(answer_prefix) + r"([^/\"]+)/", page)
    assert world["our_quote"] in [quotes.quote_from_token(t) for t in answer_tokens]
    sign_prefix = reverse("commerce:agreement_sign", kwargs={"token": "TOKEN"}).replace("TOKEN/", "")
    sign_tokens = re.findall(re.escape(sign_prefix) + r"([^/\"]+)/", page)
    assert world["our_agreement"] in [agreements.agreement_from_token(t) for t in sign_tokens]
    assert world["our_invoice"].number in page
    assert reverse("clientspace:invoice_pdf", kwargs={"pk": world["our_invoice"].pk}) in page
    assert "400.00 €" in page  # the client's share, left to pay
    assert "Zoë Núñez 1" in page and "Zoë Núñez 2" in page
    assert "Zoë Núñez 3" not in page


def test_the_opco_invoice_shows_without_a_download_and_nothing_of_another_organisation_shows(contact, world):
    page = contact.get(reverse("clientspace:home")).content.decode()

    assert world["our_opco_invoice"].number in page
    assert "APC-2026-0042" in page
    assert reverse("clientspace:invoice_pdf", kwargs={"pk": world["our_opco_invoice"].pk}) not in page
    assert world["their_quote"].reference not in page
    assert world["their_invoice"].number not in page
    assert "Autre Société" not in page


@pytest.mark.parametrize(
    "name, mine",
    [
        ("clientspace:quote_pdf", "our_quote"),
        ("clientspace:agreement_pdf", "our_agreement"),
        ("clientspace:invoice_pdf", "our_invoice"),
    ],
)
def test_the_contact_downloads_their_own_documents_as_pdf(contact, world, name, mine):
    response = contact.get(reverse(name, kwargs={"pk": world[mine].pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "name, theirs",
    [
        ("clientspace:quote_pdf", "their_quote"),
        ("clientspace:agreement_pdf", "their_agreement"),
        ("clientspace:invoice_pdf", "their_invoice"),
        ("clientspace:invoice_pdf", "our_opco_invoice"),
    ],
)
def test_a_document_of_another_payer_answers_the_same_404_as_an_unknown_one(contact, world, name, theirs):
    foreign = contact.get(reverse(name, kwargs={"pk": world[theirs].pk}))
    unknown = contact.get(reverse(name, kwargs={"pk": 999999}))

    assert (foreign.status_code, unknown.status_code) == (404, 404)
    assert foreign.content == unknown.content


def test_regression_the_page_keeps_the_training_organisation_in_its_header_and_footer(contact, world):
    page = contact.get(reverse("clientspace:home")).content.decode()

    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert TrainingOrganisation.current().name in header
    assert "Coopérative Ñandú" not in header


def test_staff_do_not_use_the_client_space(client, world):
    client.force_login(staff_planner())

    assert client.get(reverse("clientspace:home")).status_code == 403


def test_my_space_of_a_contact_links_to_the_client_space(contact):
    page = contact.get(reverse("accounts:home")).content.decode()

    assert reverse("clientspace:home") in page


def test_the_contact_is_offered_the_public_form_of_open_sessions_to_enrol_more_trainees(contact, world):
    page = contact.get(reverse("clientspace:home")).content.decode()

    assert reverse("enrolment:enrol", kwargs={"pk": world["our_booking"].course_session_id}) in page


@pytest.fixture
def certified():
    """Zoë of « Coopérative Ñandú » on an in-company session, three half-days signed, a certificate."""
    ours = ClientOrganisationFactory(name="Coopérative Ñandú")
    session, trainer, slots = two_day_session(title="Masterclass Communs numériques")
    session.client_organisation = ours
    session.save()
    zoe = EnrolmentFactory(booking__course_session=session, booking__client_organisation=ours, first_name="Zoë")
    for slot in slots[:3]:
        sign_slot(slot, zoe, trainer)
    certificate = issue_certificate(enrolment=zoe, send=False)
    return {"ours": ours, "session": session, "certificate": certificate}


def test_by_default_the_contact_gets_the_certificate_and_the_sheet_of_their_own_session(client, certified):
    client.force_login(client_contact_user(client_organisation=certified["ours"]))

    page = client.get(reverse("clientspace:home")).content.decode()
    sheet = client.get(reverse("clientspace:sheet_pdf", kwargs={"pk": certified["session"].pk}))

    assert "/certificates/download/" in page
    assert reverse("clientspace:sheet_pdf", kwargs={"pk": certified["session"].pk}) in page
    assert (sheet.status_code, sheet.content[:4]) == (200, b"%PDF")


def test_when_staff_keep_documents_from_the_contact_no_certificate_or_sheet_is_offered(client, certified):
    DocumentSharing.objects.create(client_organisation=certified["ours"], to_contact=False)
    client.force_login(client_contact_user(client_organisation=certified["ours"]))

    page = client.get(reverse("clientspace:home")).content.decode()
    my_space = client.get(reverse("accounts:home")).content.decode()
    sheet = client.get(reverse("clientspace:sheet_pdf", kwargs={"pk": certified["session"].pk}))

    assert "/certificates/download/" not in page
    assert "/certificates/download/" not in my_space
    assert sheet.status_code == 404
    assert "Zoë" in page


def test_the_sheet_of_an_inter_company_session_is_never_offered_to_a_contact(contact, world):
    response = contact.get(reverse("clientspace:sheet_pdf", kwargs={"pk": world["our_booking"].course_session_id}))

    assert response.status_code == 404
