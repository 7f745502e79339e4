"""The sales pipeline for staff: requests → quotes → agreements → invoices → payments.

Each row is one thing waiting, on the client or on us: a request without a quote, a quote sent
and not answered, an agreement to sign or to countersign, a session held whose booking has no
invoice, an invoice not fully paid (overdue or not). The page and its exports show the same rows
(``pipeline_rows``); each source is one query, so the page runs a fixed number of queries
whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.catalog.models import Lead
from academy.commerce.models import Agreement, Quote
from academy.enrolment.models import Booking, Enrolment

from .models import Invoice

#: Rows per source at most (oldest first: those waiting longest matter most).
MAX_PER_SOURCE = 300

CLIENT = "client"
US = "us"


@dataclass(frozen=True)
class PipelineRow:
    """One thing waiting. ``waiting_on`` is ``"client"`` or ``"us"``; ``since`` an aware datetime or a date;
    ``amount`` Decimal euros (excl. VAT for quotes and agreements, left to pay for invoices) or None."""

    stage: str
    waiting_on: str
    what: str
    reference: str
    client: str
    amount: Decimal | None
    since: datetime.datetime | datetime.date | None
    url: str


def _requests() -> list[PipelineRow]:
    leads = (
        Lead.objects.filter(
            kind__in=[Lead.Kind.QUOTE, Lead.Kind.CUSTOMISATION], status__in=[Lead.Status.NEW, Lead.Status.IN_PROGRESS]
        )
        .exclude(Exists(Quote.objects.filter(lead=OuterRef("pk"))))
        .select_related("course")
        .order_by("created_at")[:MAX_PER_SOURCE]
    )
    return [
        PipelineRow(
            _("Request"),
            US,
            _("Request without a quote"),
            lead.course.code if lead.course else "",
            lead.organisation_name or "%s %s" % (lead.first_name, lead.last_name),
            None,
            lead.created_at,
            reverse("commerce:staff_quotes"),
        )
        for lead in leads
    ]


def _quotes() -> list[PipelineRow]:
    quotes = Quote.objects.filter(status=Quote.Status.ISSUED).prefetch_related("lines").order_by("issued_at")
    rows = []
    for quote in quotes[:MAX_PER_SOURCE]:
        amount = sum((line.quantity * line.unit_price_excl_vat for line in quote.lines.all()), Decimal("0"))
        rows.append(
            PipelineRow(
                _("Quote"),
                CLIENT,
                _("Quote sent, awaiting the answer"),
                quote.reference,
                quote.organisation_name or quote.contact_name,
                amount.quantize(Decimal("0.01")),
                quote.issued_at,
                reverse("commerce:staff_quote", kwargs={"pk": quote.pk}),
            )
        )
    return rows


def _agreements() -> list[PipelineRow]:
    agreements = Agreement.objects.filter(status__in=[Agreement.Status.ISSUED, Agreement.Status.SIGNED]).order_by(
        "issued_at"
    )
    return [
        PipelineRow(
            _("Agreement"),
            CLIENT if agreement.status == Agreement.Status.ISSUED else US,
            _("Agreement to sign") if agreement.status == Agreement.Status.ISSUED else _("Agreement to countersign"),
            "%s v%d" % (agreement.pk, agreement.version),
            agreement.party_name,
            agreement.price_excl_vat,
            agreement.issued_at if agreement.status == Agreement.Status.ISSUED else agreement.signed_at,
            reverse("commerce:staff_agreement", kwargs={"pk": agreement.pk}),
        )
        for agreement in agreements[:MAX_PER_SOURCE]
    ]


def _held_without_invoice(now: datetime.datetime) -> list[PipelineRow]:
    live_invoices = Invoice.objects.filter(booking=OuterRef("pk"), kind=Invoice.Kind.INVOICE).exclude(
        status=Invoice.Status.CREDITED
    )
    confirmed = Enrolment.objects.filter(booking=OuterRef("pk"), status=Enrolment.Status.CONFIRMED)
    bookings = (
        Booking.objects.annotate(ended_at=Max("course_session__slots__ends_at"))
        .filter(ended_at__lt=now)
        .filter(Exists(confirmed))
        .exclude(Exists(live_invoices))
        .select_related("client_organisation", "course_session__course")
        .order_by("ended_at", "pk")[:MAX_PER_SOURCE]
    )
    return [
        PipelineRow(
            _("Invoice"),
            US,
            _("Session held without an invoice"),
            booking.course_session.course.code,
            booking.client_organisation.name
            if booking.client_organisation_id
            else "%s %s" % (booking.contact_first_name, booking.contact_last_name),
            None,
            booking.ended_at,
            reverse("commerce:booking_funding", kwargs={"pk": booking.pk}),
        )
        for booking in bookings
    ]


def _unpaid(today: datetime.date) -> list[PipelineRow]:
    invoices = (
        Invoice.objects.filter(
            kind=Invoice.Kind.INVOICE, status__in=[Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID]
        )
        .annotate(paid=Sum("payments__amount"))
        .order_by("due_date", "pk")[:MAX_PER_SOURCE]
    )
    rows = []
    for invoice in invoices:
        overdue = invoice.due_date is not None and invoice.due_date < today
        rows.append(
            PipelineRow(
                _("Payment"),
                CLIENT,
                _("Invoice overdue") if overdue else _("Invoice unpaid"),
                invoice.number,
                invoice.bill_to_name,
                invoice.total_gross - (invoice.paid or Decimal("0")),
                invoice.due_date,
                reverse("invoicing:detail", kwargs={"pk": invoice.pk}),
            )
        )
    return rows


def pipeline_rows(*, now: datetime.datetime | None = None) -> list[PipelineRow]:
    """Every row of the pipeline, in the order of the stages, oldest first within a stage.

    Five queries plus one for the quote lines, whatever the number of rows.
    """
    now = now or timezone.now()
    return _requests() + _quotes() + _agreements() + _held_without_invoice(now) + _unpaid(timezone.localdate(now))


def export_headers() -> list[str]:
    """Column titles of the exports, in the active language."""
    return [_("Stage"), _("Waiting on"), _("What"), _("Reference"), _("Client"), _("Amount (€)"), _("Since")]


def export_rows(rows: list[PipelineRow]) -> list[list]:
    """The page's rows as export cells (``academy.core.exports`` formats dates and decimals)."""
    labels = {CLIENT: _("the client"), US: _("us")}
    return [[r.stage, labels[r.waiting_on], r.what, r.reference, r.client, r.amount, r.since] for r in rows]
