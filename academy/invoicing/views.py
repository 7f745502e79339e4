"""Staff pages of invoicing: the list, one invoice with its actions, its PDF, the sales journal.

Every page is for planners and administrators (``require_role(Role.PLANNER)``); a client contact
never reaches an invoice here.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from academy.accounts.access import Role, require_role
from academy.core.exports import csv_response, xlsx_response
from academy.enrolment.models import Booking
from academy.scheduling.models import CourseSession

from .accounting import journal_headers, journal_rows
from .einvoice import invoice_pdf
from .exceptions import InvoiceError
from .forms import CreditNoteForm, InvoiceFilterForm, JournalForm, PaymentForm
from .from_funding import draft_invoices_for_booking, draft_invoices_for_session
from .models import Invoice
from .payments import record_payment
from .pipeline import export_headers, export_rows, pipeline_rows
from .services import credit_invoice, issue_invoice, issuing_blockers

PAGE_SIZE = 100


def _form_errors(form) -> str:
    return " ".join(
        "%s: %s" % (form.fields[name].label if name in form.fields else _("Form"), " ".join(errors))
        for name, errors in form.errors.items()
    )


@require_role(Role.PLANNER)
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Invoices and credit notes, newest first, filtered by status, payer, overdue, number or name."""
    form = InvoiceFilterForm(request.GET or None)
    invoices = Invoice.objects.all()
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            invoices = invoices.filter(status=data["status"])
        if data["payer"]:
            invoices = invoices.filter(payer_kind=data["payer"])
        if data["overdue"]:
            invoices = invoices.filter(
                kind=Invoice.Kind.INVOICE,
                status__in=[Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID],
                due_date__lt=today,
            )
        if data["q"]:
            invoices = invoices.filter(Q(number__icontains=data["q"]) | Q(bill_to_name__icontains=data["q"]))
    invoices = list(invoices.order_by("-created_at", "-pk")[:PAGE_SIZE])
    return render(
        request,
        "invoicing/list.html",
        {"form": form, "invoices": invoices, "today": today, "journal_form": JournalForm()},
    )


@require_role(Role.PLANNER)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One invoice: buyer, lines, totals, payments, credit notes, and the actions its state allows."""
    invoice = get_object_or_404(
        Invoice.objects.select_related("credited_invoice", "booking", "course_session").prefetch_related(
            "lines", "payments", "credit_notes"
        ),
        pk=pk,
    )
    return render(
        request,
        "invoicing/detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "blockers": issuing_blockers(invoice) if invoice.is_draft else [],
            "payment_form": PaymentForm(initial={"paid_on": timezone.localdate(), "amount": invoice.balance}),
            "credit_form": CreditNoteForm(),
            "overdue": invoice.is_overdue(),
        },
    )


@require_role(Role.PLANNER)
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        invoice = issue_invoice(invoice, actor=request.user, request=request)
    except InvoiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Invoice %(number)s is issued.") % {"number": invoice.number})
    return redirect("invoicing:detail", pk=pk)


@require_role(Role.PLANNER)
@require_POST
def add_payment(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("invoicing:detail", pk=pk)
    try:
        record_payment(invoice, actor=request.user, request=request, **form.cleaned_data)
    except InvoiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect("invoicing:detail", pk=pk)


@require_role(Role.PLANNER)
@require_POST
def credit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    form = CreditNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("invoicing:detail", pk=pk)
    try:
        note = credit_invoice(invoice, reason=form.cleaned_data["reason"], actor=request.user, request=request)
    except InvoiceError as exc:
        messages.error(request, str(exc))
        return redirect("invoicing:detail", pk=pk)
    messages.success(request, _("Credit note %(number)s cancels this invoice.") % {"number": note.number})
    return redirect("invoicing:detail", pk=note.pk)


@require_role(Role.PLANNER)
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued invoice's Factur-X PDF (a draft has none: it has no number yet)."""
    invoice = get_object_or_404(Invoice.objects.select_related("credited_invoice"), pk=pk)
    if invoice.number is None:
        raise Http404("A draft has no PDF.")
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="%s.pdf"' % invoice.number
    return response


@require_role(Role.PLANNER)
def journal(request: HttpRequest) -> HttpResponse:
    """The sales journal of a period, as CSV (French or English conventions) or XLSX."""
    form = JournalForm(request.GET)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("invoicing:list")
    start, end, fmt = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["format"]
    rows = journal_rows(start, end)
    filename = "journal-ventes-%s-%s" % (start.isoformat(), end.isoformat())
    if fmt == "xlsx":
        return xlsx_response(filename + ".xlsx", journal_headers(), rows, sheet_title="VE")
    return csv_response(filename + ".csv", journal_headers(), rows, language="en" if fmt == "csv_en" else "fr")


def _report_drafts(request: HttpRequest, outcome) -> None:
    if outcome.created:
        messages.success(
            request,
            ngettext(
                "%(count)d draft invoice created: check it and issue it.",
                "%(count)d draft invoices created: check them and issue them.",
                len(outcome.created),
            )
            % {"count": len(outcome.created)},
        )
    for message in outcome.skipped:
        messages.info(request, message)
    for message in outcome.errors:
        messages.error(request, message)
    if not (outcome.created or outcome.skipped or outcome.errors):
        messages.info(request, _("No booking of this session has confirmed trainees: nothing to invoice."))


@require_role(Role.PLANNER)
@require_POST
def draft_booking(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the invoices of one booking from its funding shares, then go back to its funding page."""
    booking = get_object_or_404(Booking.objects.select_related("client_organisation", "course_session__course"), pk=pk)
    _report_drafts(request, draft_invoices_for_booking(booking, actor=request.user))
    return redirect("commerce:booking_funding", pk=pk)


@require_role(Role.PLANNER)
@require_POST
def draft_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the invoices of every booking of a session from their funding shares, then list the invoices."""
    course_session = get_object_or_404(CourseSession, pk=pk)
    _report_drafts(request, draft_invoices_for_session(course_session, actor=request.user))
    return redirect(reverse("invoicing:list") + "?status=draft")


PIPELINE_EXPORTS = ("csv", "csv_en", "xlsx")


@require_role(Role.PLANNER)
def pipeline(request: HttpRequest) -> HttpResponse:
    """What is waiting on whom, from requests to payments; ``?export=csv|csv_en|xlsx`` gives the same rows."""
    rows = pipeline_rows()
    export = request.GET.get("export", "")
    if export:
        if export not in PIPELINE_EXPORTS:
            messages.error(
                request,
                _("Unknown export format « %(format)s »: choose one of %(formats)s.")
                % {"format": export[:20], "formats": ", ".join(PIPELINE_EXPORTS)},
            )
            return redirect("invoicing:pipeline")
        filename = "pipeline-%s" % timezone.localdate().isoformat()
        if export == "xlsx":
            return xlsx_response(filename + ".xlsx", export_headers(), export_rows(rows), sheet_title="Pipeline")
        return csv_response(
            filename + ".csv", export_headers(), export_rows(rows), language="en" if export == "csv_en" else "fr"
        )
    return render(
        request,
        "invoicing/pipeline.html",
        {
            "rows": rows,
            "on_client": sum(1 for r in rows if r.waiting_on == "client"),
            "on_us": sum(1 for r in rows if r.waiting_on == "us"),
        },
    )
