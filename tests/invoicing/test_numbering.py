"""FC-12: numbers given only on issue, one unbroken yearly series, issued invoices frozen in the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from academy.core.audit import entries_about
from academy.invoicing.exceptions import InvoiceError
from academy.invoicing.models import Invoice, InvoiceLine
from academy.invoicing.services import LineData, credit_invoice, delete_draft, issue_invoice

from .helpers import draft, exempt_line, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _organisation():
    return organisation()


def test_fc12_a_draft_has_no_number_and_issuing_gives_the_first_number_of_the_year():
    invoice = draft()
    assert invoice.number is None and invoice.status == "draft"

    issued = issue_invoice(invoice)

    year = issued.issue_date.year
    assert issued.number == "%d-000001" % year
    assert issued.status == "issued"
    assert issued.due_date == issued.issue_date + dt.timedelta(days=30)
    assert sorted(e.event for e in entries_about(issued)) == ["invoice.drafted", "invoice.issued"]


def test_fc12_an_abandoned_draft_leaves_no_gap_in_the_series():
    first = issue_invoice(draft())
    abandoned = draft()
    delete_draft(abandoned)
    kept_draft = draft()
    second = issue_invoice(draft())

    year = first.issue_date.year
    assert [first.number, second.number] == ["%d-000001" % year, "%d-000002" % year]
    assert Invoice.objects.filter(pk=abandoned.pk).exists() is False
    kept_draft.refresh_from_db()
    assert kept_draft.number is None


def test_fc12_numbers_follow_the_order_of_issue_not_of_creation():
    older, newer = draft(), draft()
    issue_invoice(newer)
    issue_invoice(older)
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.number.endswith("-000001") and older.number.endswith("-000002")
    assert newer.issued_at <= older.issued_at


def test_fc12_issuing_twice_is_refused_with_the_number():
    invoice = issue_invoice(draft())
    with pytest.raises(InvoiceError, match="Invoice %s is already issued" % invoice.number):
        issue_invoice(invoice)


def test_fc12_deleting_an_issued_invoice_is_refused_by_the_model_and_by_the_database():
    invoice = issue_invoice(draft())
    with pytest.raises(InvoiceError, match="cannot be deleted"):
        invoice.delete()
    with pytest.raises(IntegrityError, match="issued invoice"), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM invoicing_invoice WHERE id = %s", [invoice.pk])
    assert Invoice.objects.filter(pk=invoice.pk, number=invoice.number).exists()


def test_fc12_editing_an_issued_invoice_is_refused_by_the_model_and_by_the_database():
    invoice = issue_invoice(draft())
    invoice.bill_to_name = "Autre client"
    with pytest.raises(InvoiceError, match="cannot be changed"):
        invoice.save()
    for change in ({"total_net": Decimal("1.00")}, {"number": "2000-000999"}, {"bill_to_name": "Autre"}):
        with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
            Invoice.objects.filter(pk=invoice.pk).update(**change)
    invoice.refresh_from_db()
    assert invoice.bill_to_name == "Société Cliente SARL"


def test_fc12_the_lines_of_an_issued_invoice_cannot_be_added_changed_or_removed_in_the_database():
    invoice = issue_invoice(draft())
    line = invoice.lines.get()
    with pytest.raises(IntegrityError, match="lines of an issued invoice"), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).update(unit_price=Decimal("1.00"))
    with pytest.raises(IntegrityError, match="lines of an issued invoice"), transaction.atomic():
        InvoiceLine.objects.filter(pk=line.pk).delete()
    with pytest.raises(IntegrityError, match="lines of an issued invoice"), transaction.atomic():
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=invoice, description="x", quantity=1, unit_price=1, vat_category="E", exemption_reason="x"
                )
            ]
        )
    with pytest.raises(InvoiceError, match="lines of an issued invoice"):
        line.save()
    assert invoice.lines.get().unit_price == Decimal("1200.00")


def test_fc12_a_draft_and_its_lines_may_still_be_changed_or_deleted():
    invoice = draft()
    invoice.bill_to_name = "Nom corrigé"
    invoice.save()
    InvoiceLine.objects.filter(invoice=invoice).update(unit_price=Decimal("900.00"))
    invoice.delete()
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_fc12_a_credit_note_takes_the_next_number_of_the_same_series_and_references_the_invoice():
    invoice = issue_invoice(draft())
    other = issue_invoice(draft())

    note = credit_invoice(invoice, reason="Session annulée")

    invoice.refresh_from_db()
    assert note.kind == "credit_note" and note.credited_invoice == invoice
    assert note.number == "%d-000003" % invoice.issue_date.year
    assert (note.total_net, note.total_gross) == (invoice.total_net, invoice.total_gross)
    assert invoice.status == "credited" and other.status == "issued"
    assert "invoice.credited" in {e.event for e in entries_about(invoice)}


def test_fc12_crediting_is_refused_for_a_draft_a_credit_note_or_twice_each_with_its_reason():
    with pytest.raises(InvoiceError, match="A draft has no number"):
        credit_invoice(draft(), reason="erreur")
    invoice = issue_invoice(draft())
    with pytest.raises(InvoiceError, match="Give the reason"):
        credit_invoice(invoice, reason="  ")
    note = credit_invoice(invoice, reason="erreur")
    with pytest.raises(InvoiceError, match="already cancelled by a credit note"):
        credit_invoice(invoice, reason="encore")
    with pytest.raises(InvoiceError, match="A credit note cannot itself be credited"):
        credit_invoice(note, reason="encore")


def test_fc12_each_year_has_its_own_series_starting_at_one(restore_clock):
    restore_clock.at(dt.datetime(2026, 12, 31, 22, 0, tzinfo=dt.UTC))  # 23:00 in Paris, still 2026
    last_of_2026 = issue_invoice(draft())
    restore_clock.at(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))  # 00:30 in Paris, 2027
    first_of_2027 = issue_invoice(draft())
    assert last_of_2026.number == "2026-000001"
    assert first_of_2027.number == "2027-000001"
    assert first_of_2027.issue_date == dt.date(2027, 1, 1)


def test_fc12_issuing_is_refused_while_the_organisation_siret_is_missing_naming_it(_organisation):
    _organisation.siret = ""
    _organisation.save()
    invoice = draft()
    with pytest.raises(InvoiceError, match=r"identity is incomplete for an invoice: fill in SIRET"):
        issue_invoice(invoice)
    invoice.refresh_from_db()
    assert invoice.number is None and invoice.status == "draft"


def test_fc12_issuing_a_vat_line_is_refused_without_the_seller_vat_number(settings):
    from .helpers import vat_line

    settings.ACADEMY_INVOICE_VAT_NUMBER = ""
    with pytest.raises(InvoiceError, match="VAT number"):
        issue_invoice(draft(lines=[vat_line()]))
    settings.ACADEMY_INVOICE_VAT_NUMBER = "FR40123456789"
    assert issue_invoice(draft(lines=[vat_line()])).number


@pytest.mark.parametrize(
    "lines_or_bill_to, message",
    [
        ({"lines": []}, "at least one line"),
        ({"name": " "}, "name of whom the invoice bills is empty"),
        ({"address": ""}, "billing address of Société Cliente SARL is empty"),
        ({"payer_kind": "bank"}, "The payer must be one of"),
        ({"lines": [exempt_line(), exempt_line(quantity="0")]}, "Line 2: the quantity must be greater than 0"),
        ({"lines": [LineData("Formation", Decimal(1), "abc")]}, "Line 1: the unit price is not a number"),
        ({"lines": [exempt_line(amount="-5")]}, "Line 1: the unit price cannot be negative"),
    ],
)
def test_drafting_bad_input_is_refused_with_what_and_where_and_saves_nothing(lines_or_bill_to, message):
    from academy.invoicing.services import create_draft

    from .helpers import client_bill_to

    lines = lines_or_bill_to.pop("lines", [exempt_line()])
    with pytest.raises(InvoiceError, match=message):
        create_draft(bill_to=client_bill_to(**lines_or_bill_to), lines=lines)
    assert Invoice.objects.count() == 0 and InvoiceLine.objects.count() == 0
