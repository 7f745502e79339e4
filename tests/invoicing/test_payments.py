"""Payments and balance, reminders for overdue invoices, and the sales journal."""

import datetime as dt
from decimal import Decimal

import pytest

from academy.core.audit import entries_about
from academy.core.exports import csv_bytes, xlsx_bytes
from academy.core.models import OutboundEmail
from academy.core.scheduler import periodic_jobs
from academy.invoicing.accounting import journal_headers, journal_rows
from academy.invoicing.exceptions import InvoiceError
from academy.invoicing.payments import record_payment
from academy.invoicing.reminders import send_overdue_reminders
from academy.invoicing.services import credit_invoice, issue_invoice

from .helpers import draft, exempt_line, organisation, vat_line

pytestmark = pytest.mark.django_db

PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def _seller(settings):
    settings.ACADEMY_INVOICE_VAT_NUMBER = "FR40123456789"
    organisation()


def issued(amount="1000.00", **kwargs):
    return issue_invoice(draft(lines=[exempt_line(amount)], **kwargs))


def test_a_partial_then_a_final_payment_leave_the_invoice_partially_paid_then_paid():
    invoice = issued("1000.00")
    today = invoice.issue_date

    record_payment(invoice, amount="400.00", paid_on=today, reference="VIR 1")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance) == ("partially_paid", Decimal("600.00"))

    record_payment(invoice, amount=Decimal("600.00"), paid_on=today, method="cheque")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance) == ("paid", Decimal("0.00"))
    events = sorted(e.event for e in entries_about(invoice))
    assert events.count("payment.recorded") == 2 and "invoice.paid" in events


@pytest.mark.parametrize(
    "amount, message",
    [
        ("0", "positive number of euros"),
        ("-5", "positive number of euros"),
        ("12.345", "at most two decimals"),
        ("abc", "positive number of euros"),
        ("1000.01", "exceeds the balance of invoice .* 1000.00 €"),
    ],
)
def test_a_bad_payment_amount_is_refused_with_its_reason_and_nothing_is_saved(amount, message):
    invoice = issued("1000.00")
    with pytest.raises(InvoiceError, match=message):
        record_payment(invoice, amount=amount, paid_on=invoice.issue_date)
    assert invoice.payments.count() == 0


def test_payments_are_refused_on_drafts_credit_notes_cancelled_invoices_and_future_dates():
    with pytest.raises(InvoiceError, match="Issue the invoice before"):
        record_payment(draft(), amount="1", paid_on=dt.date.today())
    invoice = issued()
    with pytest.raises(InvoiceError, match="cannot be in the future"):
        record_payment(invoice, amount="1", paid_on=invoice.issue_date + dt.timedelta(days=2))
    with pytest.raises(InvoiceError, match="before the invoice date"):
        record_payment(invoice, amount="1", paid_on=invoice.issue_date - dt.timedelta(days=1))
    with pytest.raises(InvoiceError, match="Unknown payment method"):
        record_payment(invoice, amount="1", paid_on=invoice.issue_date, method="bitcoin")
    note = credit_invoice(invoice, reason="erreur")
    with pytest.raises(InvoiceError, match="cancelled by a credit note"):
        record_payment(invoice, amount="1", paid_on=invoice.issue_date)
    with pytest.raises(InvoiceError, match="A credit note is not paid"):
        record_payment(note, amount="1", paid_on=note.issue_date)


def test_an_overdue_invoice_is_reminded_once_then_again_only_after_the_interval(restore_clock, settings):
    settings.ACADEMY_INVOICE_REMINDER_DAYS = 7
    restore_clock.at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    overdue = issued("500.00")  # due 1 April
    paid = issued("200.00")
    record_payment(paid, amount="200.00", paid_on=paid.issue_date)
    issued("300.00", email="")  # no address to remind

    restore_clock.at(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC))
    assert send_overdue_reminders() == 0  # due today: not yet overdue

    restore_clock.at(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC))
    assert send_overdue_reminders() == 1
    assert send_overdue_reminders() == 0
    [message] = OutboundEmail.objects.filter(category="invoicing.payment_reminder")
    assert message.to == ["compta@cliente.exemple"]
    assert overdue.number in message.subject
    assert "500,00" in message.body_text and "40 €" in message.body_text

    restore_clock.at(dt.datetime(2026, 4, 8, 9, 0, tzinfo=dt.UTC))
    assert send_overdue_reminders() == 0
    restore_clock.at(dt.datetime(2026, 4, 9, 9, 0, tzinfo=dt.UTC))
    assert send_overdue_reminders() == 1
    overdue.refresh_from_db()
    assert overdue.reminders_sent == 2
    assert [e.event for e in entries_about(overdue)].count("invoice.reminder_sent") == 2


def test_the_reminder_job_is_registered_with_the_periodic_work():
    assert "invoicing.send_overdue_reminders" in periodic_jobs()


def test_the_sales_journal_balances_each_piece_and_reverses_credit_notes():
    vat = issue_invoice(draft(lines=[vat_line("333.33")] * 3))
    exempt = issued("1000.00")
    note = credit_invoice(exempt, reason="Session annulée")
    draft()

    rows = journal_rows(vat.issue_date, vat.issue_date)

    assert [r[6] for r in rows] == [vat.number] * 3 + [exempt.number] * 2 + [note.number] * 2
    assert rows[:3] == [
        [
            "VE",
            vat.issue_date,
            "411000",
            "Invoice %s Société Cliente SARL" % vat.number,
            Decimal("1199.99"),
            Decimal("0.00"),
            vat.number,
        ],
        [
            "VE",
            vat.issue_date,
            "706000",
            "Invoice %s Société Cliente SARL" % vat.number,
            Decimal("0.00"),
            Decimal("999.99"),
            vat.number,
        ],
        [
            "VE",
            vat.issue_date,
            "445710",
            "Invoice %s Société Cliente SARL" % vat.number,
            Decimal("0.00"),
            Decimal("200.00"),
            vat.number,
        ],
    ]
    assert [(r[2], r[4], r[5]) for r in rows[5:]] == [
        ("411000", Decimal("0.00"), Decimal("1000.00")),
        ("706000", Decimal("1000.00"), Decimal("0.00")),
    ]
    for number in {r[6] for r in rows}:
        piece = [r for r in rows if r[6] == number]
        assert sum(r[4] for r in piece) == sum(r[5] for r in piece)


def test_the_sales_journal_goes_out_through_the_core_exports_in_french_english_and_xlsx():
    invoice = issued("1234.50")
    rows = journal_rows(invoice.issue_date, invoice.issue_date)
    french = csv_bytes(journal_headers(), rows, language="fr").decode("utf-8")
    english = csv_bytes(journal_headers(), rows, language="en").decode("utf-8")
    assert "VE;%s;411000;" % invoice.issue_date.isoformat() in french and ";1234,50;0,00;" in french
    assert "VE,%s,411000," % invoice.issue_date.isoformat() in english and ",1234.50,0.00," in english
    assert xlsx_bytes(journal_headers(), rows)[:2] == b"PK"
