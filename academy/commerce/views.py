"""Public pages of the terms of sale and internal rules; the staff page of a booking's funding."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.accounts.access import Role, require_role
from academy.catalog.models import Lead
from academy.enrolment.models import Booking

from . import agreements, funding, quotes, terms
from .forms import FundingLineFormSet, QuoteForm, QuoteLineFormSet
from .models import Agreement, Quote, TermsDocument


def _page(request, kind: str, document: TermsDocument | None):
    others = TermsDocument.objects.filter(kind=kind, published_at__isnull=False).order_by("-version")
    return render(
        request,
        "commerce/terms.html",
        {
            "kind": kind,
            "kind_label": TermsDocument.Kind(kind).label,
            "document": document,
            "in_force": terms.current(kind),
            "versions": others,
            "version_url": "commerce:%s_version" % kind,
        },
    )


def terms_page(request, kind: str):
    """The version of ``kind`` in force today, or an empty state saying none is published."""
    return _page(request, kind, terms.current(kind))


def terms_version_page(request, kind: str, version: int):
    """One published version of ``kind`` (bookings and agreements link to the version accepted); 404 otherwise."""
    document = TermsDocument.objects.filter(kind=kind, version=version, published_at__isnull=False).first()
    if document is None:
        raise Http404
    return _page(request, kind, document)


@require_role(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def booking_funding(request, pk: int):
    """Staff page: who pays what of one booking; the amounts must add up to the price excl. VAT.

    When they do not, nothing is saved and the page shows the difference.
    """
    booking = get_object_or_404(Booking.objects.select_related("course_session__course", "client_organisation"), pk=pk)
    price = funding.booking_price_excl_vat(booking)
    if request.method == "POST":
        formset = FundingLineFormSet(request.POST, prefix="lines", form_kwargs={"booking": booking})
        if formset.is_valid():
            lines = [_line(booking, form.cleaned_data) for form in formset.forms if not form.is_blank()]
            try:
                funding.set_funding(booking, lines, by=request.user)
            except funding.FundingMismatch as exc:
                formset_error, difference = " ".join(exc.messages), exc.difference
            except ValidationError as exc:
                formset_error, difference = " ".join(exc.messages), None
            else:
                messages.success(request, _("The funding of this booking is saved."))
                return redirect("commerce:booking_funding", pk=booking.pk)
            return _funding_page(request, booking, price, formset, formset_error, difference, status=400)
        return _funding_page(request, booking, price, formset, "", None, status=400)
    initial = [
        {
            "payer_kind": share.payer_kind,
            "payer_name": share.payer_name,
            "email": share.email,
            "address": share.address,
            "agreement_number": share.agreement_number,
            "amount_excl_vat": share.amount_excl_vat,
            "direct_payment": share.direct_payment,
            "funding_type": share.funding_type,
        }
        for share in funding.shares_for(booking)
    ]
    for line, row in zip(booking.funding_lines.order_by("position", "pk"), initial, strict=False):
        row["enrolment"] = line.enrolment_id
    formset = FundingLineFormSet(initial=initial, prefix="lines", form_kwargs={"booking": booking})
    return _funding_page(request, booking, price, formset, "", None)


def _line(booking, data: dict) -> dict:
    line = {key: value for key, value in data.items() if value not in (None, "")}
    line["direct_payment"] = bool(data.get("direct_payment"))
    if data.get("payer_kind") == "client" and booking.client_organisation_id:
        line["client_organisation"] = booking.client_organisation
    return line


def _funding_page(request, booking, price, formset, error, difference, status=200):
    return render(
        request,
        "commerce/staff/booking_funding.html",
        {
            "booking": booking,
            "price": price,
            "formset": formset,
            "error": error,
            "difference": difference,
            "recorded": booking.funding_lines.exists(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def quote_answer(request, token: str):
    """The client's page of one quote, opened by its signed link: read, download, accept or decline.

    A forged, expired or unknown link answers the same 404 as a foreign one.
    """
    quote = quotes.quote_from_token(token)
    if quote is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                quote = quotes.accept(quote, signer_name=request.POST.get("signer_name", ""))
                messages.success(request, _("Thank you: the quote is accepted. We will contact you to schedule it."))
            elif request.POST.get("answer") == "decline":
                quote = quotes.decline(quote)
                messages.success(request, _("The quote is declined. Thank you for your answer."))
            else:
                error = _("Choose to accept or decline the quote.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if not error:
            return redirect("commerce:quote_answer", token=token)
    return render(
        request,
        "commerce/quote_answer.html",
        {"quote": quote, "totals": quotes.totals(quote), "token": token, "error": error},
        status=400 if error else 200,
    )


def quote_answer_pdf(request, token: str):
    """The PDF of the quote of a signed link; 404 for any other link."""
    quote = quotes.quote_from_token(token)
    if quote is None:
        raise Http404
    return _pdf_response(quotes.quote_pdf(quote), "devis-%s.pdf" % quote.reference)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="%s"' % filename
    return response


@require_role(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def staff_quote(request, pk: int):
    """Staff page of one quote: its totals, what is missing to issue it; issue or revise it."""
    quote = get_object_or_404(Quote.objects.select_related("lead", "course", "client_organisation", "revises"), pk=pk)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                quotes.issue(quote, by=request.user)
                messages.success(request, _("The quote is issued and sent to its contact."))
                return redirect("commerce:staff_quote", pk=quote.pk)
            if action == "revise":
                revision = quotes.revise(quote)
                messages.success(request, _("A revision is ready to edit."))
                return redirect("commerce:staff_quote", pk=revision.pk)
            error = _("Unknown action.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "commerce/staff/quote.html",
        {
            "quote": quote,
            "totals": quotes.totals(quote),
            "missing": quotes.missing_items(quote) if quote.is_draft else [],
            "error": error,
        },
        status=400 if error else 200,
    )


@require_role(Role.PLANNER)
def staff_quote_pdf(request, pk: int):
    """The PDF of a quote, draft or issued, for staff."""
    quote = get_object_or_404(Quote, pk=pk)
    return _pdf_response(quotes.quote_pdf(quote), "devis-%s.pdf" % (quote.reference or "brouillon-%d" % quote.pk))


@require_role(Role.PLANNER)
def staff_quotes(request):
    """Staff list of quotes, newest first, and the quote or customisation requests still to quote."""
    return render(
        request,
        "commerce/staff/quotes.html",
        {
            "quotes": Quote.objects.select_related("lead", "client_organisation")[:200],
            "leads": Lead.objects.filter(
                kind__in=[Lead.Kind.QUOTE, Lead.Kind.CUSTOMISATION],
                status__in=[Lead.Status.NEW, Lead.Status.IN_PROGRESS],
            ).select_related("course")[:100],
        },
    )


@require_role(Role.PLANNER)
@require_http_methods(["POST"])
def staff_quote_from_lead(request, pk: int):
    """Open the request's draft quote for editing, creating it (prefilled from the request) unless one exists."""
    lead = get_object_or_404(Lead, pk=pk)
    quote = quotes.draft_from_lead(lead)
    return redirect("commerce:staff_quote_edit", pk=quote.pk)


@require_http_methods(["GET", "POST"])
def agreement_sign(request, token: str):
    """The signer's page of one agreement version, opened by its signed link; 404 for any other link."""
    agreement = agreements.agreement_from_token(token)
    if agreement is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            agreements.sign(
                agreement,
                name=request.POST.get("signer_name", ""),
                ip=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Thank you: the document is signed."))
            return redirect("commerce:agreement_sign", token=token)
    return render(
        request,
        "commerce/agreement_sign.html",
        {"agreement": agreement, "token": token, "error": error},
        status=400 if error else 200,
    )


def agreement_sign_pdf(request, token: str):
    """The exact PDF bytes issued for signature, for the holder of the signing link."""
    agreement = agreements.agreement_from_token(token)
    if agreement is None:
        raise Http404
    return _pdf_response(bytes(agreement.pdf), "convention-%d-v%d.pdf" % (agreement.pk, agreement.version))


@require_role(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def staff_agreement(request, pk: int):
    """Staff page of one agreement: missing items, issue, countersign, amend."""
    agreement = get_object_or_404(Agreement, pk=pk)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                agreements.issue(agreement, by=request.user)
                messages.success(request, _("The document is issued and sent for signature."))
            elif action == "countersign":
                agreements.countersign(agreement, by=request.user)
                messages.success(request, _("The document is countersigned."))
            elif action == "amend":
                agreement = agreements.amend(agreement)
                messages.success(request, _("An amendment is ready to edit."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("commerce:staff_agreement", pk=agreement.pk)
    return render(
        request,
        "commerce/staff/agreement.html",
        {
            "agreement": agreement,
            "missing": agreements.missing_items(agreement) if agreement.status == Agreement.Status.DRAFT else [],
            "error": error,
        },
        status=400 if error else 200,
    )


@require_role(Role.PLANNER)
def staff_agreement_pdf(request, pk: int):
    """The PDF of an agreement for staff: the frozen bytes once issued, a preview while a draft."""
    agreement = get_object_or_404(Agreement, pk=pk)
    content = bytes(agreement.pdf) if agreement.pdf else agreements.agreement_pdf(agreement)
    return _pdf_response(content, "convention-%d-v%d.pdf" % (agreement.pk, agreement.version))


@require_role(Role.PLANNER)
@require_http_methods(["POST"])
def staff_agreement_from_booking(request, pk: int):
    """Draft the agreement (or contract) of a booking, then open it."""
    booking = get_object_or_404(Booking, pk=pk)
    try:
        agreement = agreements.draft_from_booking(booking)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("commerce:booking_funding", pk=booking.pk)
    return redirect("commerce:staff_agreement", pk=agreement.pk)


@require_role(Role.PLANNER)
@require_http_methods(["POST"])
def staff_agreement_from_quote(request, pk: int):
    """Draft the agreement of an accepted quote, then open it."""
    quote = get_object_or_404(Quote, pk=pk)
    try:
        agreement = agreements.draft_from_quote(quote)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("commerce:staff_quote", pk=quote.pk)
    return redirect("commerce:staff_agreement", pk=agreement.pk)


@require_role(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def staff_quote_edit(request, pk: int | None = None):
    """Create a quote, or edit a draft: header and priced lines, saved together or not at all.

    An issued quote is never edited (revise it instead): its page says so with status 409.
    """
    quote = get_object_or_404(Quote, pk=pk) if pk is not None else Quote()
    if pk is not None and not quote.is_draft:
        messages.error(request, _("An issued quote never changes: revise it to make a new one."))
        return redirect("commerce:staff_quote", pk=quote.pk)
    form = QuoteForm(request.POST or None, instance=quote)
    lines = QuoteLineFormSet(request.POST or None, instance=quote, prefix="lines")
    if request.method == "POST":
        if form.is_valid() and lines.is_valid():
            with transaction.atomic():
                quote = form.save()
                lines.instance = quote
                for position, line in enumerate(lines.save(commit=False)):
                    line.position = position
                    line.save()
                for line in lines.deleted_objects:
                    line.delete()
            messages.success(request, _("The draft quote is saved."))
            return redirect("commerce:staff_quote", pk=quote.pk)
    return render(
        request,
        "commerce/staff/quote_edit.html",
        {"quote": quote, "form": form, "lines": lines},
        status=400 if request.method == "POST" else 200,
    )
