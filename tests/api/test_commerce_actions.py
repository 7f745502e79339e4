"""Commerce through the API: the staff pages' drafts and issuing, with the same services and rules."""

from __future__ import annotations

import pytest

from academy.api.models import ApiToken
from academy.commerce.models import Agreement, Quote
from academy.core.models import AuditLogEntry
from tests.factories.api import api_token
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import LeadFactory

from .conftest import ApiClient
from .world import build_token_world

pytestmark = pytest.mark.django_db


def test_a_planner_token_drafts_a_quote_from_a_request_then_is_told_what_is_missing_to_issue_it(planner_api):
    lead = LeadFactory(kind="quote")
    drafted = planner_api.post("/api/v1/leads/%d/quote/" % lead.pk)
    assert drafted.status_code == 201
    quote = Quote.objects.get(pk=drafted.json()["id"])
    assert quote.lead == lead and quote.status == Quote.Status.DRAFT

    refused = planner_api.post("/api/v1/quotes/%d/issue/" % quote.pk, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409
    assert "missing" in refused.json()["detail"] and "priced line" in refused.json()["detail"]
    assert not AuditLogEntry.objects.filter(event="quote.issued").exists()


def test_a_planner_token_drafts_the_agreement_of_a_booking(planner_api):
    enrolment = EnrolmentFactory()
    response = planner_api.post("/api/v1/bookings/%d/agreement/" % enrolment.booking_id)
    assert response.status_code == 201
    assert Agreement.objects.get(pk=response.json()["id"]).booking_id == enrolment.booking_id


def test_a_second_quote_call_for_a_request_answers_its_existing_draft(planner_api):
    lead = LeadFactory(kind="quote")
    first = planner_api.post("/api/v1/leads/%d/quote/" % lead.pk)
    second = planner_api.post("/api/v1/leads/%d/quote/" % lead.pk)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert Quote.objects.filter(lead=lead).count() == 1


def test_a_booking_without_confirmed_trainee_gets_no_agreement_but_a_409(planner_api):
    enrolment = EnrolmentFactory(status="cancelled")
    response = planner_api.post("/api/v1/bookings/%d/agreement/" % enrolment.booking_id, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 409
    assert "aucun stagiaire confirmé" in response.json()["detail"]
    assert not Agreement.objects.filter(booking_id=enrolment.booking_id).exists()


def test_an_issued_invoice_is_not_issued_again(planner_api):
    world = build_token_world()
    response = planner_api.post("/api/v1/invoices/%d/issue/" % world.mine.ids["invoices"])
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"


def test_a_quote_not_accepted_has_no_agreement(planner_api):
    world = build_token_world()
    response = planner_api.post("/api/v1/quotes/%d/agreement/" % world.mine.ids["quotes"])
    assert response.status_code == 409


@pytest.mark.parametrize(
    "path",
    [
        "leads/%(lead)d/quote/",
        "bookings/%(booking)d/agreement/",
        "quotes/%(quote)d/issue/",
        "invoices/%(invoice)d/issue/",
    ],
)
def test_read_only_and_client_tokens_cannot_draft_nor_issue(path):
    world = build_token_world()
    ids = {
        "lead": world.staff_only["leads"],
        "booking": world.mine.ids["bookings"],
        "quote": world.mine.ids["quotes"],
        "invoice": world.mine.ids["invoices"],
    }
    read_only = ApiClient(api_token(ApiToken.Scope.READ_ONLY)[1])
    client = ApiClient(world.mine.raw_token)
    for api in (read_only, client):
        assert api.post("/api/v1/" + path % ids).status_code == 403
