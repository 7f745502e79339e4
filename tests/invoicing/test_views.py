"""Staff pages of invoicing: list and filters, detail and its actions, PDF, sales journal."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from academy.core.audit import entries_about
from academy.core.models import TrainingOrganisation
from academy.invoicing.models import Invoice
from academy.invoicing.services import issue_invoice
from tests.factories.privacy import client_contact_user, staff_planner

from .helpers import draft, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client():
    organisation()
    client = Client()
    client.force_login(staff_planner())
    return client


def test_the_list_filters_by_status_payer_and_overdue(planner_client, restore_clock):
    restore_clock.at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    old = issue_invoice(draft())
    opco = issue_invoice(draft(payer_kind="opco", name="OPCO Atlas"))
    pending = draft(name="Brouillon SA")
    restore_clock.at(dt.datetime(2026, 4, 15, 9, 0, tzinfo=dt.UTC))
    from academy.invoicing.payments import record_payment

    record_payment(opco, amount=opco.total_gross, paid_on=dt.date(2026, 4, 10))
    url = reverse("invoicing:list")

    def shown(**params):
        page = planner_client.get(url, params).content.decode()
        return {pk for pk in (old.pk, opco.pk, pending.pk) if 'data-invoice="%s"' % pk in page}

    assert shown() == {old.pk, opco.pk, pending.pk}
    assert shown(status="draft") == {pending.pk}
    assert shown(payer="opco") == {opco.pk}
    assert shown(overdue="on") == {old.pk}
    assert shown(q=old.number) == {old.pk}
    assert planner_client.get(url, {"status": "nonsense"}).status_code == 200


def test_issuing_from_the_detail_page_numbers_the_invoice_and_audits_it(planner_client):
    invoice = draft()
    page = planner_client.get(reverse("invoicing:detail", args=[invoice.pk]))
    assert b"data-issuing-blocked" not in page.content

    response = planner_client.post(reverse("invoicing:issue", args=[invoice.pk]), follow=True)

    invoice.refresh_from_db()
    assert invoice.number and invoice.status == "issued"
    assert invoice.number in response.content.decode()
    [event] = [e for e in entries_about(invoice) if e.event == "invoice.issued"]
    assert event.actor is not None


def test_the_detail_page_says_the_siret_is_missing_and_issuing_is_refused_with_that_message(planner_client):
    TrainingOrganisation.objects.update(siret="")
    invoice = draft()
    page = planner_client.get(reverse("invoicing:detail", args=[invoice.pk])).content.decode()
    assert "data-issuing-blocked" in page and "SIRET" in page

    response = planner_client.post(reverse("invoicing:issue", args=[invoice.pk]), follow=True)

    invoice.refresh_from_db()
    assert invoice.number is None
    assert "renseignez SIRET" in response.content.decode()


def test_recording_a_payment_and_a_credit_note_from_the_detail_page(planner_client):
    invoice = issue_invoice(draft())
    detail = reverse("invoicing:detail", args=[invoice.pk])

    response = planner_client.post(
        reverse("invoicing:add_payment", args=[invoice.pk]),
        {"amount": "200,00", "paid_on": invoice.issue_date.isoformat(), "method": "transfer", "reference": "VIR-1"},
    )
    assert response.status_code == 302 and response["Location"] == detail
    invoice.refresh_from_db()
    assert invoice.status == "partially_paid" and invoice.balance == Decimal("1000.00")

    refused = planner_client.post(
        reverse("invoicing:add_payment", args=[invoice.pk]),
        {"amount": "5000", "paid_on": invoice.issue_date.isoformat(), "method": "transfer"},
        follow=True,
    )
    assert "dépasse le solde" in refused.content.decode()

    response = planner_client.post(reverse("invoicing:credit", args=[invoice.pk]), {"reason": "Session annulée"})
    note = Invoice.objects.get(credited_invoice=invoice)
    assert response["Location"] == reverse("invoicing:detail", args=[note.pk])
    invoice.refresh_from_db()
    assert invoice.status == "credited"


def test_a_form_error_is_shown_with_the_field_at_fault(planner_client):
    invoice = issue_invoice(draft())
    response = planner_client.post(
        reverse("invoicing:add_payment", args=[invoice.pk]), {"amount": "abc", "paid_on": "hier"}, follow=True
    )
    page = response.content.decode()
    assert "Montant" in page and "Date du paiement" in page
    assert invoice.payments.count() == 0


def test_the_pdf_download_gives_the_issued_invoice_and_a_draft_has_none(planner_client):
    invoice = issue_invoice(draft())
    response = planner_client.get(reverse("invoicing:pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert planner_client.get(reverse("invoicing:pdf", args=[draft().pk])).status_code == 404


def test_the_sales_journal_downloads_as_french_csv_english_csv_and_xlsx(planner_client):
    invoice = issue_invoice(draft())
    day = invoice.issue_date.isoformat()
    url = reverse("invoicing:journal")
    french = planner_client.get(url, {"start": day, "end": day, "format": "csv"})
    assert french["Content-Type"].startswith("text/csv") and ";1200,00;" in french.content.decode("utf-8")
    english = planner_client.get(url, {"start": day, "end": day, "format": "csv_en"})
    assert ",1200.00," in english.content.decode("utf-8")
    xlsx = planner_client.get(url, {"start": day, "end": day, "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    backwards = planner_client.get(url, {"start": day, "end": "2000-01-01", "format": "csv"}, follow=True)
    assert "La date de fin est antérieure à la date de début" in backwards.content.decode()


def test_a_client_contact_never_reaches_an_invoice_of_their_own_organisation(planner_client):
    contact = client_contact_user()
    from academy.accounts.access import client_organisation_id_of

    invoice = issue_invoice(draft(client_organisation_id=client_organisation_id_of(contact)))
    client = Client()
    client.force_login(contact)
    assert client.get(reverse("invoicing:detail", args=[invoice.pk])).status_code == 403
    assert client.get(reverse("invoicing:pdf", args=[invoice.pk])).status_code == 403


def test_the_admin_shows_an_issued_invoice_read_only_and_refuses_its_deletion(db):
    from tests.factories.privacy import staff_admin

    organisation()
    invoice = issue_invoice(draft())
    editable = draft()
    client = Client()
    client.force_login(staff_admin())

    page = client.get(reverse("admin:invoicing_invoice_change", args=[invoice.pk]))
    assert page.status_code == 200 and b'name="bill_to_name"' not in page.content
    assert client.get(reverse("admin:invoicing_invoice_delete", args=[invoice.pk])).status_code == 403
    assert b'name="bill_to_name"' in client.get(reverse("admin:invoicing_invoice_change", args=[editable.pk])).content
