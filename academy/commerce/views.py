"""Public pages of the terms of sale and internal rules; the staff page of a booking's funding."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.accounts.access import Role, require_role
from academy.enrolment.models import Booking

from . import funding, terms
from .forms import FundingLineFormSet
from .models import TermsDocument


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
