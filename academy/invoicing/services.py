"""Invoicing services: drafts, issuing with gapless numbers, credit notes.

Callers hand plain data (``BillTo``, ``LineData``) so that any source of "who pays what" (a booking's
funding shares, a quote, staff typing by hand) drafts invoices the same way. Every state change
writes one typed audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event
from academy.core.models import TrainingOrganisation
from academy.core.vat import compute_totals

from .exceptions import InvoiceError
from .models import TRAINING_EXEMPTION_REASON, Invoice, InvoiceLine, InvoiceNumberCounter

PAYER_KINDS = {choice.value for choice in Invoice.PayerKind}


@dataclass(frozen=True)
class BillTo:
    """Whom an invoice bills, as printed on it (a snapshot: later changes to the payer do not alter it).

    ``payer_kind`` is one of ``client``, ``opco``, ``person``, ``public``. ``siret`` and
    ``vat_number`` are the buyer's when a company. ``agreement_number`` is the funding agreement
    (accord de prise en charge) of an OPCO or public funder; ``direct_payment`` means subrogation.
    """

    payer_kind: str
    name: str
    address: str
    email: str = ""
    siret: str = ""
    vat_number: str = ""
    country: str = "FR"
    client_organisation_id: int | None = None
    agreement_number: str = ""
    direct_payment: bool = False
    funding_type: str = ""


@dataclass(frozen=True)
class LineData:
    """One invoice line: ``quantity`` × ``unit_price`` (euros excluding VAT, Decimal).

    ``vat_category`` is ``"S"`` with ``vat_rate`` in percent (e.g. ``Decimal("20")``) or ``"E"``
    (exempt) with ``exemption_reason``; an exempt line without a reason gets the training exemption.
    """

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_category: str = "E"
    vat_rate: Decimal = Decimal("0")
    exemption_reason: str = ""


def default_vat(unit_price: Decimal, description: str, quantity: Decimal = Decimal("1")) -> LineData:
    """Return a line with the organisation's VAT treatment: exempt as training unless
    ``ACADEMY_INVOICE_VAT_EXEMPT`` is off, then standard rate 20 % (CGI art. 278)."""
    if settings.ACADEMY_INVOICE_VAT_EXEMPT:
        return LineData(description, quantity, unit_price, "E", Decimal("0"), TRAINING_EXEMPTION_REASON)
    return LineData(description, quantity, unit_price, "S", Decimal("20"))


def _decimal(value, *, where: str, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite():
        raise InvoiceError(_("%(where)s: the %(what)s is not a number.") % {"where": where, "what": what})
    return number


def _clean_lines(lines) -> list[LineData]:
    lines = list(lines)
    if not lines:
        raise InvoiceError(_("An invoice needs at least one line."))
    cleaned = []
    for index, line in enumerate(lines, start=1):
        where = _("Line %(number)s") % {"number": index}
        description = (line.description or "").strip()
        if not description:
            raise InvoiceError(_("%(where)s: the description is empty.") % {"where": where})
        quantity = _decimal(line.quantity, where=where, what=_("quantity"))
        unit_price = _decimal(line.unit_price, where=where, what=_("unit price"))
        rate = _decimal(line.vat_rate, where=where, what=_("VAT rate"))
        if quantity <= 0:
            raise InvoiceError(_("%(where)s: the quantity must be greater than 0.") % {"where": where})
        if unit_price < 0:
            raise InvoiceError(_("%(where)s: the unit price cannot be negative.") % {"where": where})
        if line.vat_category == "S":
            if not (0 < rate < 100):
                raise InvoiceError(_("%(where)s: a VAT rate between 0 and 100 %% is needed.") % {"where": where})
            reason = ""
        elif line.vat_category == "E":
            rate, reason = Decimal("0"), (line.exemption_reason or "").strip() or TRAINING_EXEMPTION_REASON
        else:
            raise InvoiceError(_("%(where)s: the VAT category must be S (rate) or E (exempt).") % {"where": where})
        cleaned.append(LineData(description[:300], quantity, unit_price, line.vat_category, rate, reason[:200]))
    return cleaned


def create_draft(
    *,
    bill_to: BillTo,
    lines,
    booking=None,
    course_session=None,
    payment_terms_days: int | None = None,
    actor=None,
    request=None,
) -> Invoice:
    """Create and return a draft invoice (no number) billing ``bill_to`` for ``lines`` (``LineData``).

    ``booking`` and ``course_session`` are optional references. Raises ``InvoiceError`` naming the
    field or line at fault; nothing is saved then.
    """
    if bill_to.payer_kind not in PAYER_KINDS:
        raise InvoiceError(_("The payer must be one of: %(kinds)s.") % {"kinds": ", ".join(sorted(PAYER_KINDS))})
    if not (bill_to.name or "").strip():
        raise InvoiceError(_("The name of whom the invoice bills is empty."))
    if not (bill_to.address or "").strip():
        raise InvoiceError(_("The billing address of %(name)s is empty.") % {"name": bill_to.name.strip()})
    cleaned = _clean_lines(lines)
    terms = settings.ACADEMY_INVOICE_PAYMENT_DAYS if payment_terms_days is None else payment_terms_days
    if not 0 <= terms <= 60:
        # Code de commerce L441-10: at most 60 days from the invoice date.
        raise InvoiceError(_("Payment terms must be between 0 and 60 days (Code de commerce L441-10)."))
    if course_session is None and booking is not None:
        course_session = booking.course_session
    with transaction.atomic():
        invoice = Invoice.objects.create(
            payer_kind=bill_to.payer_kind,
            bill_to_name=bill_to.name.strip()[:200],
            bill_to_address=bill_to.address.strip(),
            bill_to_email=(bill_to.email or "").strip(),
            bill_to_siret=(bill_to.siret or "").replace(" ", ""),
            bill_to_vat_number=(bill_to.vat_number or "").replace(" ", "").upper(),
            bill_to_country=(bill_to.country or "FR").upper(),
            client_organisation_id=bill_to.client_organisation_id,
            agreement_number=(bill_to.agreement_number or "").strip(),
            direct_payment=bill_to.direct_payment,
            funding_type=bill_to.funding_type or "",
            booking=booking,
            course_session=course_session,
            payment_terms_days=terms,
        )
        _add_lines(invoice, cleaned)
        record_event("invoice.drafted", obj=invoice, actor=actor, request=request, data={"payer": invoice.payer_kind})
    return invoice


def _add_lines(invoice: Invoice, lines: list[LineData]) -> None:
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_category=line.vat_category,
            vat_rate=line.vat_rate,
            exemption_reason=line.exemption_reason,
        )
        for position, line in enumerate(lines, start=1)
    )


def draft_from_funding_share(share, *, description: str, booking=None, course_session=None, actor=None) -> Invoice:
    """Draft the invoice of one funding share of a booking and return it.

    ``share`` has the attributes of ``academy.commerce.funding.FundingShare``: ``payer_kind``,
    ``payer_name``, ``client_organisation_id``, ``email``, ``address``, ``agreement_number``,
    ``amount_excl_vat`` (Decimal) and ``direct_payment``. The share becomes one line with the
    organisation's VAT treatment (``default_vat``).
    """
    siret = ""
    if share.client_organisation_id:
        from academy.core.models import ClientOrganisation

        siret = (
            ClientOrganisation.objects.filter(pk=share.client_organisation_id).values_list("siret", flat=True).first()
            or ""
        )
    bill_to = BillTo(
        payer_kind=share.payer_kind,
        name=share.payer_name,
        address=share.address,
        email=share.email,
        siret=siret,
        client_organisation_id=share.client_organisation_id,
        agreement_number=share.agreement_number,
        direct_payment=share.direct_payment,
        funding_type=getattr(share, "funding_type", ""),
    )
    return create_draft(
        bill_to=bill_to,
        lines=[default_vat(share.amount_excl_vat, description)],
        booking=booking,
        course_session=course_session,
        actor=actor,
    )


def issuing_blockers(invoice: Invoice, *, lines=None, organisation: TrainingOrganisation | None = None) -> list[str]:
    """Return what stops ``invoice`` from being issued, each a message naming what is missing.

    An invoice must show the seller's name, address and SIRET, its declaration number (NDA,
    Code du travail L.6352-12 on documents of a training organisation), its VAT number unless every
    line is exempt (CGI art. 242 nonies A), and at least one line. An empty list means it may go.
    """
    organisation = organisation or TrainingOrganisation.current()
    lines = list(invoice.lines.all()) if lines is None else lines
    fields = [("name", organisation.legal_name or organisation.name), ("address", organisation.address)]
    fields += [("siret", organisation.siret), ("declaration_number", organisation.declaration_number)]
    missing = [
        str(TrainingOrganisation._meta.get_field(name).verbose_name)
        for name, value in fields
        if not (value or "").strip()
    ]
    if any(line.vat_category == "S" for line in lines) and not settings.ACADEMY_INVOICE_VAT_NUMBER.strip():
        missing.append(_("VAT number (setting ACADEMY_INVOICE_VAT_NUMBER)"))
    reasons = []
    if missing:
        reasons.append(
            _(
                "The training organisation's identity is incomplete for an invoice: fill in %(missing)s "
                "(administration, training organisation) before issuing."
            )
            % {"missing": ", ".join(missing)}
        )
    if not lines:
        reasons.append(_("An invoice needs at least one line."))
    return reasons


def seller_snapshot(organisation: TrainingOrganisation) -> dict:
    """Return the seller's identity printed on an invoice (kept on it at issue, never re-read)."""
    return {
        "name": organisation.legal_name or organisation.name,
        "trade_name": organisation.name,
        "address": organisation.address,
        "siret": organisation.siret,
        "declaration_number": organisation.declaration_number,
        "vat_number": settings.ACADEMY_INVOICE_VAT_NUMBER.strip(),
        "email": organisation.email,
        "phone": organisation.phone,
    }


def _take_number() -> tuple[str, object]:
    """Take the next number of the current year's series; return it with the moment of issue.

    The year's counter row stays locked until commit, so issuers queue there. The clock is read
    once the row is held, so issue times follow the numbers; if the year turned while waiting,
    the new year's row is taken instead (older rows first, so issuers never deadlock).
    """
    year = timezone.localdate().year
    while True:
        # Creating the year's row may race with another issuer: insert-or-ignore, then lock the one row.
        InvoiceNumberCounter.objects.bulk_create([InvoiceNumberCounter(year=year)], ignore_conflicts=True)
        counter = InvoiceNumberCounter.objects.select_for_update().get(year=year)
        issued_at = timezone.now()
        if timezone.localdate(issued_at).year == year:
            break
        year = timezone.localdate(issued_at).year
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return "%d-%06d" % (year, counter.last_number), issued_at


def issue_invoice(invoice: Invoice, *, actor=None, request=None) -> Invoice:
    """Issue the draft ``invoice``: number, issue date, due date and totals, in one transaction.

    The number is the next of the issue year's series (``2026-000123``), taken under a row lock on
    the year's counter, so numbers follow the order of issue with no gap and no duplicate even when
    staff issue at the same instant (CGI art. 242 nonies A: one unbroken chronological series).
    A draft abandoned or deleted consumed no number. Raises ``InvoiceError`` when the invoice is
    not a draft or a mandatory item is missing (``issuing_blockers``). Returns the issued invoice.
    """
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        if locked is None:
            raise InvoiceError(_("This invoice no longer exists."))
        if locked.status != Invoice.Status.DRAFT:
            raise InvoiceError(
                _("Invoice %(number)s is already issued; only a draft can be issued.") % {"number": locked.number}
            )
        lines = list(locked.lines.all())
        organisation = TrainingOrganisation.current()
        if reasons := issuing_blockers(locked, lines=lines, organisation=organisation):
            raise InvoiceError(" ".join(reasons))
        totals = compute_totals(lines)
        number, issued_at = _take_number()
        issue_date = timezone.localdate(issued_at)
        Invoice.objects.filter(pk=locked.pk).update(
            number=number,
            seller=seller_snapshot(organisation),
            status=Invoice.Status.ISSUED,
            issued_at=issued_at,
            issue_date=issue_date,
            due_date=issue_date + timedelta(days=locked.payment_terms_days),
            total_net=totals.total_net,
            total_vat=totals.total_vat,
            total_gross=totals.total_gross,
            updated_at=issued_at,
        )
        locked.refresh_from_db()
        record_event(
            "invoice.issued",
            obj=locked,
            actor=actor,
            request=request,
            data={"number": number, "kind": locked.kind, "total_gross": str(totals.total_gross)},
        )
    return locked


def credit_invoice(invoice: Invoice, *, reason: str, actor=None, request=None) -> Invoice:
    """Cancel the issued ``invoice`` by a credit note for its whole amount; return the issued note.

    The credit note copies the buyer and the lines, references the invoice, and takes the next
    number of the same series. The invoice's status becomes "cancelled by a credit note".
    Raises ``InvoiceError`` when ``invoice`` is a draft (delete it instead), a credit note, or
    already credited, or when ``reason`` is empty.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvoiceError(_("Give the reason for the credit note."))
    with transaction.atomic():
        original = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if original.kind != Invoice.Kind.INVOICE:
            raise InvoiceError(_("A credit note cannot itself be credited."))
        if original.status == Invoice.Status.DRAFT:
            raise InvoiceError(_("A draft has no number: delete it or change it instead of crediting it."))
        if original.status == Invoice.Status.CREDITED:
            raise InvoiceError(
                _("Invoice %(number)s is already cancelled by a credit note.") % {"number": original.number}
            )
        note = Invoice.objects.create(
            kind=Invoice.Kind.CREDIT_NOTE,
            credited_invoice=original,
            credit_reason=reason[:300],
            **{
                field: getattr(original, field)
                for field in (
                    "payer_kind",
                    "bill_to_name",
                    "bill_to_address",
                    "bill_to_email",
                    "bill_to_siret",
                    "bill_to_vat_number",
                    "bill_to_country",
                    "client_organisation_id",
                    "agreement_number",
                    "direct_payment",
                    "booking_id",
                    "course_session_id",
                    "payment_terms_days",
                    "funding_type",
                )
            },
        )
        _add_lines(
            note,
            [
                LineData(
                    line.description,
                    line.quantity,
                    line.unit_price,
                    line.vat_category,
                    line.vat_rate,
                    line.exemption_reason,
                )
                for line in original.lines.all()
            ],
        )
        note = issue_invoice(note, actor=actor, request=request)
        Invoice.objects.filter(pk=original.pk).update(status=Invoice.Status.CREDITED, updated_at=timezone.now())
        record_event(
            "invoice.credited",
            obj=original,
            actor=actor,
            request=request,
            data={"number": original.number, "credit_note": note.number},
        )
    return note


def delete_draft(invoice: Invoice, *, actor=None) -> None:
    """Delete a draft (it has no number, so its deletion leaves no gap); ``InvoiceError`` if issued."""
    invoice.delete()
