"""Quotes: totals with VAT per rate, mandatory items, issuing, the signed answer link, revisions."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from academy.catalog.models import Lead
from academy.commerce import quotes
from academy.commerce.models import Quote, QuoteLine
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.scheduling.models import CourseSession
from tests.factories.catalog import CourseFactory
from tests.factories.core import ClientOrganisationFactory, TrainingOrganisationFactory
from tests.factories.privacy import LeadFactory, client_contact_user, staff_planner

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today() + datetime.timedelta(days=60)


@pytest.fixture(autouse=True)
def organisation():
    return TrainingOrganisationFactory()


def line(quote, *, quantity="1", price="1000.00", rate="20", exempt=False, trainees=1, description="Formation"):
    return QuoteLine.objects.create(
        quote=quote,
        description=description,
        quantity=Decimal(quantity),
        trainees=trainees,
        unit_price_excl_vat=Decimal(price),
        vat_rate_pct=Decimal(rate),
        vat_exempt=exempt,
    )


def ready_quote(**kwargs) -> Quote:
    fields = {
        "organisation_name": "Société Exemple",
        "contact_name": "Camille Martin",
        "contact_email": "camille@exemple.fr",
        "valid_until": NEXT_YEAR,
        **kwargs,
    }
    quote = Quote.objects.create(**fields)
    line(quote, quantity="2", price="1250.00", trainees=6, description="Jours intra-entreprise")
    return quote


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_vat_is_computed_per_rate_on_the_rate_base_and_rounded_half_up():
    quote = Quote.objects.create()
    line(quote, quantity="1", price="0.05", rate="10")  # 0.005 alone would round per line
    line(quote, quantity="1", price="0.05", rate="10")
    line(quote, quantity="3", price="33.33", rate="20")
    line(quote, quantity="1", price="500.00", exempt=True)
    result = quotes.totals(quote)
    rates = [(v.rate_pct, v.base, v.vat) for v in result.vat_lines]
    assert rates == [
        (None, Decimal("500.00"), Decimal("0.00")),
        (Decimal("10.00"), Decimal("0.10"), Decimal("0.01")),
        (Decimal("20.00"), Decimal("99.99"), Decimal("20.00")),
    ]
    assert (result.total_excl_vat, result.total_vat, result.total_incl_vat) == (
        Decimal("600.09"),
        Decimal("20.01"),
        Decimal("620.10"),
    )


def test_a_quote_lacking_mandatory_items_cannot_be_issued_and_says_what_is_missing():
    quote = Quote.objects.create(valid_until=datetime.date(2020, 1, 1))
    with pytest.raises(quotes.QuoteIncomplete) as caught:
        quotes.issue(quote)
    assert caught.value.missing == [
        "le client (entreprise ou personne)",
        "le nom du contact",
        "l’adresse électronique du contact",
        "une date de validité non dépassée",
        "au moins une ligne chiffrée",
    ]
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT and not AuditLogEntry.objects.filter(event="quote.issued").exists()


def test_issuing_numbers_the_quote_marks_the_request_quoted_and_mails_the_pdf_with_a_signed_link():
    lead = LeadFactory(kind=Lead.Kind.QUOTE)
    quote = quotes.issue(ready_quote(lead=lead))
    assert quote.reference == "D-%d-0001" % quote.issued_at.year and quote.status == Quote.Status.ISSUED
    lead.refresh_from_db()
    assert lead.status == Lead.Status.QUOTED
    email = OutboundEmail.objects.get(category="commerce.quote_issued")
    assert email.to == ["camille@exemple.fr"]
    assert "/quotes/" in email.body_text
    assert AuditLogEntry.objects.get(event="quote.issued").data["total_excl_vat"] == "2500.00"


def test_the_quote_pdf_holds_the_client_the_lines_the_totals_and_the_exemption_mention():
    quote = ready_quote()
    line(quote, quantity="1", price="300.00", exempt=True, description="Support de cours")
    quote = quotes.issue(quote)
    text = pdf_text(quotes.quote_pdf(quote))
    for expected in (
        quote.reference,
        "Société Exemple",
        "Jours intra-entreprise",
        "2 800,00",
        "3 300,00",
        "261-4-4°-a",
        "Camille Martin",
    ):
        assert expected in text, expected


def test_an_issued_quote_cannot_be_issued_again_and_a_revision_replaces_it():
    quote = quotes.issue(ready_quote())
    with pytest.raises(ValidationError, match="Seul un devis en brouillon peut être émis"):
        quotes.issue(quote)
    revision = quotes.revise(quote)
    assert revision.is_draft and revision.revises == quote and revision.lines.count() == 1
    quotes.issue(revision)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SUPERSEDED
    with pytest.raises(ValidationError, match="déjà reçu une réponse ou a été remplacé"):
        quotes.accept(quote, signer_name="Camille Martin")


def test_accepting_through_the_link_wins_the_request_and_prepares_an_in_company_draft_session(client):
    course = CourseFactory()
    organisation = ClientOrganisationFactory()
    lead = LeadFactory(kind=Lead.Kind.QUOTE, course=course)
    quote = quotes.issue(ready_quote(lead=lead, course=course, client_organisation=organisation))
    url = reverse("commerce:quote_answer", kwargs={"token": quotes.answer_token(quote)})
    assert "Jours intra-entreprise" in client.get(url).content.decode()
    response = client.post(url, {"answer": "accept", "signer_name": "Camille Martin"})
    assert response.status_code == 302
    quote.refresh_from_db()
    lead.refresh_from_db()
    assert (quote.status, lead.status) == (Quote.Status.ACCEPTED, Lead.Status.WON)
    session = quote.course_session
    assert (session.kind, session.status, session.client_organisation, session.capacity_seats) == (
        CourseSession.Kind.IN_COMPANY,
        CourseSession.Status.DRAFT,
        organisation,
        6,
    )
    assert AuditLogEntry.objects.filter(event="quote.accepted").count() == 1
    agreement = quote.agreements.get()
    assert (agreement.status, agreement.client_organisation, agreement.title) == ("draft", organisation, course.title)


def test_accepting_without_a_name_is_refused_with_a_message(client):
    quote = quotes.issue(ready_quote())
    url = reverse("commerce:quote_answer", kwargs={"token": quotes.answer_token(quote)})
    response = client.post(url, {"answer": "accept", "signer_name": "  "})
    assert response.status_code == 400
    assert "Indiquez votre nom pour accepter le devis." in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ISSUED


def test_declining_loses_the_request_and_a_second_answer_is_refused(client):
    lead = LeadFactory(kind=Lead.Kind.QUOTE)
    quote = quotes.issue(ready_quote(lead=lead))
    url = reverse("commerce:quote_answer", kwargs={"token": quotes.answer_token(quote)})
    assert client.post(url, {"answer": "decline"}).status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.LOST
    assert AuditLogEntry.objects.filter(event="quote.declined").exists()
    response = client.post(url, {"answer": "accept", "signer_name": "Camille"})
    assert response.status_code == 400
    assert "déjà reçu une réponse" in response.content.decode()


def test_an_expired_quote_cannot_be_accepted(client):
    quote = quotes.issue(ready_quote())
    Quote.objects.filter(pk=quote.pk).update(valid_until=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="Ce devis a expiré le 01/01/2020"):
        quotes.accept(quote, signer_name="Camille")


def test_a_forged_link_or_the_link_of_a_draft_answers_404(client):
    draft = ready_quote()
    for token in ("forged:token:value", quotes.answer_token(draft)):
        assert client.get(reverse("commerce:quote_answer", kwargs={"token": token})).status_code == 404
        assert client.get(reverse("commerce:quote_answer_pdf", kwargs={"token": token})).status_code == 404


def test_the_link_pdf_is_the_quote_of_that_link():
    quote = quotes.issue(ready_quote())
    other = quotes.issue(ready_quote(organisation_name="Autre Client SA"))
    from django.test import Client

    response = Client().get(reverse("commerce:quote_answer_pdf", kwargs={"token": quotes.answer_token(quote)}))
    text = pdf_text(response.content)
    assert quote.reference in text and other.reference not in text


def test_a_draft_from_a_request_takes_its_contact_organisation_and_course():
    course = CourseFactory()
    lead = LeadFactory(kind=Lead.Kind.CUSTOMISATION, course=course, organisation_name="Client SA")
    quote = quotes.draft_from_lead(lead)
    assert (quote.lead, quote.course, quote.organisation_name, quote.contact_email) == (
        lead,
        course,
        "Client SA",
        lead.email,
    )


def test_the_staff_page_names_what_is_missing_and_issues_a_complete_quote(client):
    client.force_login(staff_planner())
    empty = Quote.objects.create()
    page = client.get(reverse("commerce:staff_quote", kwargs={"pk": empty.pk})).content.decode()
    assert "au moins une ligne chiffrée" in page
    response = client.post(reverse("commerce:staff_quote", kwargs={"pk": empty.pk}), {"action": "issue"})
    assert response.status_code == 400 and "Ce devis ne peut pas être émis" in response.content.decode()
    quote = ready_quote()
    assert client.post(reverse("commerce:staff_quote", kwargs={"pk": quote.pk}), {"action": "issue"}).status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ISSUED


def test_a_client_contact_never_reaches_the_staff_quote_pages(client):
    client.force_login(client_contact_user())
    quote = ready_quote()
    for name in ("commerce:staff_quote", "commerce:staff_quote_pdf"):
        assert client.get(reverse(name, kwargs={"pk": quote.pk})).status_code in (302, 403, 404)


def test_the_rights_of_access_and_erasure_reach_quote_contacts_but_keep_accepted_quotes():
    from academy.commerce import personal_data

    open_quote = quotes.issue(ready_quote())
    accepted = quotes.accept(quotes.issue(ready_quote()), signer_name="Camille Martin")
    exported = personal_data.export("camille@exemple.fr")
    assert {row["reference"] for row in exported["quotes"]} == {open_quote.reference, accepted.reference}
    assert personal_data.erase("camille@exemple.fr") == 1
    open_quote.refresh_from_db()
    accepted.refresh_from_db()
    assert open_quote.contact_name == "[erased]" and accepted.contact_email == "camille@exemple.fr"


def lines_post(*rows, initial=0) -> dict:
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": str(initial), "lines-MAX_NUM_FORMS": "50"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data["lines-%d-%s" % (i, key)] = value
    return data


HEADER = {
    "organisation_name": "Société Exemple",
    "contact_name": "Camille Martin",
    "contact_email": "camille@exemple.fr",
    "valid_until": NEXT_YEAR.isoformat(),
    "language": "fr",
}


def test_staff_create_a_quote_with_its_lines_on_their_page(client):
    client.force_login(staff_planner())
    data = {
        **HEADER,
        **lines_post(
            {
                "kind": "in_company_days",
                "description": "Deux jours",
                "trainees": "8",
                "quantity": "2",
                "unit_price_excl_vat": "1400.00",
                "vat_rate_pct": "20",
            },
            # An untouched extra row, as the browser sends it with its defaults: ignored.
            {
                "kind": "in_company_days",
                "description": "",
                "trainees": "1",
                "quantity": "",
                "unit_price_excl_vat": "",
                "vat_rate_pct": "20",
            },
        ),
    }
    response = client.post(reverse("commerce:staff_quote_new"), data)
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quotes.totals(quote).total_excl_vat == Decimal("2800.00")
    assert quotes.missing_items(quote) == []


def test_a_line_with_a_negative_price_is_refused_and_nothing_is_saved(client):
    client.force_login(staff_planner())
    data = {
        **HEADER,
        **lines_post(
            {
                "kind": "course",
                "description": "X",
                "trainees": "1",
                "quantity": "1",
                "unit_price_excl_vat": "-5",
                "vat_rate_pct": "20",
            }
        ),
    }
    response = client.post(reverse("commerce:staff_quote_new"), data)
    assert response.status_code == 400
    assert not Quote.objects.exists()


def test_an_issued_quote_cannot_be_edited_on_the_staff_page(client):
    client.force_login(staff_planner())
    quote = quotes.issue(ready_quote())
    response = client.post(reverse("commerce:staff_quote_edit", kwargs={"pk": quote.pk}), {**HEADER, **lines_post()})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ISSUED and quote.lines.count() == 1


def test_a_request_to_quote_becomes_a_draft_from_the_quotes_page(client):
    client.force_login(staff_planner())
    lead = LeadFactory(kind=Lead.Kind.QUOTE, organisation_name="Client SA")
    assert "Client SA" in client.get(reverse("commerce:staff_quotes")).content.decode()
    response = client.post(reverse("commerce:staff_quote_from_lead", kwargs={"pk": lead.pk}))
    quote = Quote.objects.get(lead=lead)
    assert response["Location"] == reverse("commerce:staff_quote_edit", kwargs={"pk": quote.pk})


def test_my_space_leads_staff_to_the_quotes_and_nobody_else(client):
    client.force_login(staff_planner())
    assert reverse("commerce:staff_quotes") in client.get(reverse("accounts:home")).content.decode()
    client.force_login(client_contact_user())
    assert reverse("commerce:staff_quotes") not in client.get(reverse("accounts:home")).content.decode()


def test_a_request_has_one_draft_quote_however_often_staff_ask_for_it(client):
    client.force_login(staff_planner())
    lead = LeadFactory(kind=Lead.Kind.QUOTE)
    first = quotes.draft_from_lead(lead)
    assert quotes.draft_from_lead(lead) == first
    response = client.post(reverse("commerce:staff_quote_from_lead", kwargs={"pk": lead.pk}))
    assert response["Location"] == reverse("commerce:staff_quote_edit", kwargs={"pk": first.pk})
    assert Quote.objects.filter(lead=lead).count() == 1
