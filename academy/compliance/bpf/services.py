"""Actions on the yearly report: complete a sale's funding type, enter charges, lock a filed year."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.commerce.models import FundingType
from academy.core.audit import record_event
from academy.invoicing.models import Invoice

from ..models import BpfReport
from .figures import Bpf, FiscalYear, compute_bpf


class BpfError(Exception):
    """An action on the yearly report is refused; the message says why."""


def report_for(year: FiscalYear) -> BpfReport:
    """The ``BpfReport`` row of ``year``, created empty when missing."""
    report, _created = BpfReport.objects.get_or_create(starts_on=year.starts_on, defaults={"ends_on": year.ends_on})
    return report


def set_invoice_funding_type(*, invoice: Invoice, funding_type: str, by=None) -> Invoice:
    """Record the funding type of ``invoice`` (an issued invoice too: it is not printed on it).

    Allowed after the year is filed: the report page then shows the correction as a difference
    from the figures filed. Raises ``BpfError`` for a value outside ``FundingType``. Writes the
    audit event ``invoice.funding_type_set``.
    """
    if funding_type not in FundingType.values:
        raise BpfError(_("Choose a funding type from the list."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        invoice.funding_type = funding_type
        invoice.save(update_fields=["funding_type", "updated_at"])
        record_event("invoice.funding_type_set", obj=invoice, actor=by, data={"funding_type": funding_type})
    return invoice


def lock_year(*, year: FiscalYear, by=None, now=None) -> tuple[BpfReport, Bpf]:
    """Lock ``year`` as filed, keeping its figures as they are now; return the report and figures.

    Refused (``BpfError``) when already locked, when records lack what the report needs, when
    the charges (frame D) are not entered, or when a consistency check fails. Writes the audit event ``bpf.locked``.
    """
    with transaction.atomic():
        report = report_for(year)
        report = BpfReport.objects.select_for_update().get(pk=report.pk)
        if report.is_locked:
            raise BpfError(_("This year is already filed and locked."))
        bpf = compute_bpf(year, report=report)
        if not bpf.complete:
            raise BpfError(_("Complete the records listed before filing the report."))
        if report.charges_total is None:
            raise BpfError(_("Enter the charges of the year (frame D) before filing the report."))
        if not bpf.consistent:
            raise BpfError(_("A consistency check fails: correct it before filing the report."))
        report.snapshot = bpf.figures()
        report.locked_at = now or timezone.now()
        report.locked_by = by
        report.save(update_fields=["snapshot", "locked_at", "locked_by", "updated_at"])
        record_event("bpf.locked", obj=report, actor=by, data={"starts_on": year.starts_on.isoformat()})
    return report, bpf
