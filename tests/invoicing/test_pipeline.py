"""The staff sales pipeline: what waits on the client and what waits on us, on the page and in exports."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from academy.catalog.models import Lead
from academy.commerce.models import Agreement, Quote, QuoteLine
from academy.invoicing.payments import record_payment
from academy.invoicing.pipeline import pipeline_rows
from academy.invoicing.services import create_draft, issue_invoice
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import BookingFactory, EnrolmentFactory
from tests.factories.privacy import LeadFactory, staff_planner
from tests.factories.scheduling import CourseSessionFactory, add_day

from .helpers import client_bill_to, exempt_line, organisation

pytestmark = pytest.mark.django_db


def build_pipeline(n: int = 1) -> None:
    """``n`` of each: a request, a sent quote, an agreement to sign, one to countersign, a held session
    without invoice and an unpaid invoice due in the past."""
    organisation()
    for i in range(n):
        LeadFactory(kind=Lead.Kind.QUOTE, organisation_name="Demandeur %d" % i)
        quote = Quote.objects.create(organisation_name="Prospect %d" % i, reference="D-2026-%04d" % (i + 1))
        QuoteLine.objects.create(
            quote=quote, description="Jours", quantity=Decimal("2"), unit_price_excl_vat=Decimal("1000.00")
        )
        Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.ISSUED)
        Agreement.objects.create(kind="agreement", status=Agreement.Status.ISSUED, party_name="À signer %d" % i)
        Agreement.objects.create(kind="agreement", status=Agreement.Status.SIGNED, party_name="Signée %d" % i)
        held = CourseSessionFactory()
        add_day(held, datetime.date(2025, 6, 2))
        EnrolmentFactory(
            booking=BookingFactory(
                course_session=held, client_organisation=ClientOrganisationFactory(name="Tenue %d" % i)
            )
        )
        invoice = issue_invoice(
            create_draft(bill_to=client_bill_to(name="Débiteur %d" % i), lines=[exempt_line()], payment_terms_days=0)
        )
        assert invoice.balance == Decimal("1200.00")


def test_each_kind_of_wait_is_shown_once_with_whom_it_waits_on():
    build_pipeline()

    rows = pipeline_rows(now=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))

    assert [(r.what, r.waiting_on, r.client) for r in rows] == [
        ("Request without a quote", "us", "Demandeur 0"),
        ("Quote sent, awaiting the answer", "client", "Prospect 0"),
        ("Agreement to sign", "client", "À signer 0"),
        ("Agreement to countersign", "us", "Signée 0"),
        ("Session held without an invoice", "us", "Tenue 0"),
        ("Invoice overdue", "client", "Débiteur 0"),
    ]
    assert rows[1].amount == Decimal("2000.00")
    assert rows[5].amount == Decimal("1200.00")


def test_a_request_with_a_quote_a_paid_invoice_and_an_invoiced_session_wait_on_nobody():
    organisation()
    lead = LeadFactory(kind=Lead.Kind.QUOTE)
    Quote.objects.create(lead=lead, organisation_name="Prospect")
    held = CourseSessionFactory()
    add_day(held, datetime.date(2025, 6, 2))
    booking = EnrolmentFactory(booking__course_session=held).booking
    create_draft(bill_to=client_bill_to(), lines=[exempt_line()], booking=booking)
    paid = issue_invoice(create_draft(bill_to=client_bill_to(), lines=[exempt_line()]))
    record_payment(paid, amount=Decimal("1200.00"), paid_on=paid.issue_date)

    assert pipeline_rows() == []


def test_the_page_shows_the_rows_and_the_counts_to_a_planner(client):
    build_pipeline()
    client.force_login(staff_planner())

    page = client.get(reverse("invoicing:pipeline")).content.decode()

    assert "Waiting on the client: 3 · waiting on us: 3" in page
    assert "Agreement to countersign" in page and "Tenue 0" in page


def test_the_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    build_pipeline(5)
    client.force_login(staff_planner())

    with django_assert_max_num_queries(12):
        response = client.get(reverse("invoicing:pipeline"))

    assert response.content.decode().count("data-waiting-on=") == 30


def test_the_csv_and_xlsx_exports_hold_the_same_rows_as_the_page(client):
    build_pipeline()
    client.force_login(staff_planner())

    csv_text = client.get(reverse("invoicing:pipeline") + "?export=csv").content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(client.get(reverse("invoicing:pipeline") + "?export=xlsx").content))

    lines = csv_text.strip().split("\r\n")
    assert lines[0].split(";")[:3] == ["Stage", "Waiting on", "What"]
    assert [line.split(";")[2] for line in lines[1:]] == [r.what for r in pipeline_rows()]
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert [row[2] for row in sheet_rows[1:]] == [r.what for r in pipeline_rows()]
    assert "1200,00" in csv_text


def test_an_unknown_export_format_is_refused_with_a_message(client):
    client.force_login(staff_planner())

    response = client.get(reverse("invoicing:pipeline") + "?export=pdf", follow=True)

    assert "Unknown export format « pdf »: choose one of csv, csv_en, xlsx." in response.content.decode()
