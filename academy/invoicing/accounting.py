"""The sales journal for the accountant: one row per accounting line, in the spirit of the FEC.

Each issued invoice debits the payer's receivable account and credits revenue per VAT rate and
VAT collected per rate; a credit note does the opposite. Debits equal credits for every piece
(the FEC's balanced entries, LPF art. A47 A-1). Accounts follow the French chart of accounts
(PCG): 411 clients, 706 services, 44571 VAT collected.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from academy.core.vat import compute_totals

from .models import Invoice

JOURNAL_CODE = "VE"
RECEIVABLE_ACCOUNT = "411000"
REVENUE_ACCOUNT = "706000"
VAT_COLLECTED_ACCOUNT = "445710"


def journal_headers() -> list[str]:
    """Column titles (translated): journal, date, account, label, debit, credit, invoice number."""
    return [
        _("Journal code"),
        _("Date"),
        _("Account"),
        _("Label"),
        _("Debit"),
        _("Credit"),
        _("Invoice number"),
    ]


def journal_rows(start: dt.date, end: dt.date) -> list[list]:
    """Return the sales journal lines of invoices and credit notes issued from ``start`` to ``end``
    (Paris dates, both included), in number order. Amounts are Decimal euros; drafts are left out."""
    rows = []
    invoices = (
        Invoice.objects.exclude(number__isnull=True)
        .filter(issue_date__gte=start, issue_date__lte=end)
        .prefetch_related("lines")
        .order_by("number")
    )
    zero = Decimal("0.00")
    for invoice in invoices:
        credit_note = invoice.kind == Invoice.Kind.CREDIT_NOTE
        label = "%s %s %s" % (_("Credit note") if credit_note else _("Invoice"), invoice.number, invoice.bill_to_name)
        totals = compute_totals(invoice.lines.all())

        def row(account, debit, credit, label=label, invoice=invoice, credit_note=credit_note):
            if credit_note:
                debit, credit = credit, debit
            return [JOURNAL_CODE, invoice.issue_date, account, label[:200], debit, credit, invoice.number]

        rows.append(row(RECEIVABLE_ACCOUNT, totals.total_gross, zero))
        for breakdown in totals.breakdown:
            rows.append(row(REVENUE_ACCOUNT, zero, breakdown.base))
            if breakdown.vat:
                rows.append(row(VAT_COLLECTED_ACCOUNT, zero, breakdown.vat))
    return rows
