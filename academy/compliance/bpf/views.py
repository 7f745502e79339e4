"""Staff pages of the yearly report (BPF): the form frame by frame, drill-down, exports, filing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from academy.accounts.access import Role, require_role
from academy.commerce.models import FundingType
from academy.core.exports import XLSX_MIMETYPE
from academy.core.forms import SpacedDecimalField
from academy.core.models import TrainingOrganisation
from academy.core.typography import french_spacing
from academy.invoicing.models import Invoice

from ..models import BpfReport
from . import exports
from .figures import FiscalYear, compute_bpf, differences
from .services import BpfError, lock_year, report_for, set_invoice_funding_type

FIRST_YEAR, LAST_YEAR = 2000, 2100


class ChargesForm(forms.ModelForm):
    """Frame D and the whole turnover, entered from the accounts."""

    class Meta:
        model = BpfReport
        fields = ["charges_total", "charges_salaries", "charges_purchases", "turnover_total"]
        localized_fields = fields  # French staff type "5 000,40"
        field_classes = dict.fromkeys(fields, SpacedDecimalField)


class FundingTypeForm(forms.Form):
    funding_type = forms.ChoiceField(label=gettext_lazy("Funding type"), choices=FundingType.choices)


def _year(year: int) -> FiscalYear:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return FiscalYear.of_organisation(year)


def _current_start_year() -> int:
    organisation = TrainingOrganisation.current()
    today = timezone.localdate()
    month = organisation.fiscal_year_start_month or 1
    return today.year if today.month >= month else today.year - 1


@require_role(Role.PLANNER)
def bpf_index(request: HttpRequest) -> HttpResponse:
    """The financial years: the current one, the previous ones, and those already filed."""
    current = _current_start_year()
    reports = {r.starts_on.year: r for r in BpfReport.objects.all()}
    years = sorted({current, current - 1, current - 2, *reports}, reverse=True)
    rows = [{"year": FiscalYear.of_organisation(y), "start_year": y, "report": reports.get(y)} for y in years]
    return render(request, "compliance/bpf/index.html", {"rows": rows})


@require_role(Role.PLANNER)
def bpf_year(request: HttpRequest, year: int) -> HttpResponse:
    """The report of one financial year, frame by frame, with its checks and what is missing."""
    return _year_page(request, year)


def _year_page(request: HttpRequest, year: int, charges_form: ChargesForm | None = None) -> HttpResponse:
    fiscal_year = _year(year)
    report = BpfReport.objects.filter(starts_on=fiscal_year.starts_on).first()
    bpf = compute_bpf(fiscal_year, report=report)
    changes = differences(report.snapshot, bpf) if report and report.is_locked else []
    return render(
        request,
        "compliance/bpf/year.html",
        {
            "bpf": bpf,
            "year": fiscal_year,
            "start_year": year,
            "report": report,
            "frames": bpf.frames(),
            "changes": changes,
            "charges_form": charges_form or ChargesForm(instance=report),
            "funding_types": FundingType.choices,
        },
    )


@require_role(Role.PLANNER)
def bpf_line(request: HttpRequest, year: int, frame: str, code: str) -> HttpResponse:
    """The records behind one line of the report."""
    fiscal_year = _year(year)
    report = BpfReport.objects.filter(starts_on=fiscal_year.starts_on).first()
    bpf = compute_bpf(fiscal_year, report=report)
    try:
        line = bpf.line(frame, code)
    except KeyError:
        raise Http404 from None
    return render(
        request, "compliance/bpf/line.html", {"bpf": bpf, "line": line, "year": fiscal_year, "start_year": year}
    )


EXPORTS = {
    "pdf": ("application/pdf", exports.bpf_pdf),
    "csv": ("text/csv; charset=utf-8", exports.bpf_csv),
    "xlsx": (XLSX_MIMETYPE, exports.bpf_xlsx),
    "json": ("application/json", exports.bpf_json),
}


@require_role(Role.PLANNER)
def bpf_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The report as PDF, CSV, XLSX or JSON; refused while records lack what it needs."""
    if fmt not in EXPORTS:
        raise Http404
    fiscal_year = _year(year)
    report = BpfReport.objects.filter(starts_on=fiscal_year.starts_on).first()
    bpf = compute_bpf(fiscal_year, report=report)
    if not bpf.complete:
        messages.error(request, _("Complete the records listed before producing the report."))
        return redirect("compliance:bpf_year", year=year)
    content_type, build = EXPORTS[fmt]
    response = HttpResponse(build(bpf), content_type=content_type)
    response["Content-Disposition"] = 'attachment; filename="%s"' % exports.filename(bpf, fmt)
    return response


@require_role(Role.PLANNER)
@require_POST
def bpf_charges(request: HttpRequest, year: int) -> HttpResponse:
    """Save frame D and the whole turnover of an unfiled year."""
    fiscal_year = _year(year)
    report = report_for(fiscal_year)
    if report.is_locked:
        messages.error(request, _("This year is already filed and locked."))
        return redirect("compliance:bpf_year", year=year)
    form = ChargesForm(request.POST, instance=report)
    if form.is_valid():
        form.save()
        messages.success(request, _("The charges are saved."))
        return redirect("compliance:bpf_year", year=year)
    # Shown again with what was typed and the errors next to their fields.
    messages.error(
        request,
        french_spacing(
            " ".join("%s: %s" % (form.fields[name].label, " ".join(errs)) for name, errs in form.errors.items())
        ),
    )
    return _year_page(request, year, charges_form=form)


@require_role(Role.ADMINISTRATOR)
@require_POST
def bpf_lock(request: HttpRequest, year: int) -> HttpResponse:
    """File and lock the year: its figures are kept as filed."""
    try:
        lock_year(year=_year(year), by=request.user)
    except BpfError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The report is filed and locked; later corrections will show as differences."))
    return redirect("compliance:bpf_year", year=year)


@require_role(Role.PLANNER)
@require_POST
def invoice_funding_type(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the funding type of one invoice or credit note, back to the report it was listed on."""
    invoice = get_object_or_404(Invoice, pk=pk, number__isnull=False)
    form = FundingTypeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a funding type from the list."))
    else:
        try:
            set_invoice_funding_type(invoice=invoice, funding_type=form.cleaned_data["funding_type"], by=request.user)
        except BpfError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Funding type of %(number)s saved.") % {"number": invoice.number})
    organisation = TrainingOrganisation.current()
    start_year = invoice.issue_date.year
    if invoice.issue_date.month < (organisation.fiscal_year_start_month or 1):
        start_year -= 1
    return redirect("compliance:bpf_year", year=start_year)
