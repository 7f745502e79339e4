"""Funding: who pays what of a booking, before the invoice.

Public API for invoicing and the client space:

- ``FundingShare``: one payer's share of a booking (frozen dataclass, amounts Decimal excl. VAT);
- ``shares_for(booking)``: the shares to invoice for a booking;
- ``booking_price_excl_vat(booking)``: the price the shares must add up to;
- ``set_funding(booking, lines, by=None)``: replace a booking's funding lines, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from academy.core.audit import record_event
from academy.enrolment.models import Enrolment

from .models import FundingLine, FundingType

PAYER_KINDS = ("client", "opco", "person", "public")


@dataclass(frozen=True)
class FundingShare:
    """One payer's share of a booking.

    ``payer_kind`` is one of ``"client"``, ``"opco"``, ``"person"``, ``"public"``;
    ``client_organisation_id`` is set for a client share when the organisation is known;
    ``amount_excl_vat`` is a Decimal in euros with two places; ``direct_payment`` is true when an
    OPCO pays the organisation directly (subrogation) and is therefore invoiced its share;
    ``funding_type`` is a ``FundingType`` value (BPF income line), ``""`` when not recorded.
    """

    payer_kind: str
    payer_name: str
    client_organisation_id: int | None
    email: str
    address: str
    agreement_number: str
    amount_excl_vat: Decimal
    direct_payment: bool
    funding_type: str = ""


class FundingMismatch(ValidationError):
    """The funding lines do not add up to the booking's price excluding VAT.

    ``difference`` is price minus total (positive: some is not covered; negative: too much).
    """

    def __init__(self, message: str, *, difference: Decimal):
        super().__init__(message, code="mismatch")
        self.difference = difference


def money(amount: Decimal) -> str:
    """``amount`` with two decimals in the active language's format (« 1 900,00 » in French)."""
    return number_format(amount, 2, use_l10n=True, force_grouping=True)


def billed_enrolments(booking):
    """The enrolments of ``booking`` that are paid for: the confirmed ones."""
    return booking.enrolments.filter(status=Enrolment.Status.CONFIRMED)


def booking_price_excl_vat(booking) -> Decimal | None:
    """The price of ``booking`` excluding VAT, in euros, or ``None`` when no price is set.

    Price per trainee of the session (else of the course) times the confirmed trainees.
    """
    session = booking.course_session
    unit = session.price_excl_vat if session.price_excl_vat is not None else session.course.price_excl_vat
    if unit is None:
        return None
    return (Decimal(unit) * billed_enrolments(booking).count()).quantize(Decimal("0.01"))


#: The funding type a booking's own answer ("who pays") determines without guessing; an OPCO, a
#: public funder or "other" leaves it empty, for staff to name the scheme.
FUNDING_TYPE_OF_BOOKING = {
    "employer": FundingType.EMPLOYER,
    "personal": FundingType.INDIVIDUAL,
    "cpf": FundingType.CPF,
}


def _default_share(booking, price: Decimal) -> FundingShare:
    organisation = booking.client_organisation
    if organisation is not None:
        return FundingShare(
            payer_kind="client",
            payer_name=organisation.name,
            client_organisation_id=organisation.pk,
            email=booking.contact_email,
            address=organisation.address,
            agreement_number="",
            amount_excl_vat=price,
            direct_payment=False,
            funding_type=FUNDING_TYPE_OF_BOOKING.get(booking.funding, ""),
        )
    return FundingShare(
        payer_kind="person",
        payer_name=("%s %s" % (booking.contact_first_name, booking.contact_last_name)).strip(),
        client_organisation_id=None,
        email=booking.contact_email,
        address="",
        agreement_number="",
        amount_excl_vat=price,
        direct_payment=False,
        funding_type=FUNDING_TYPE_OF_BOOKING.get(booking.funding, ""),
    )


def shares_for(booking) -> list[FundingShare]:
    """The payers of ``booking`` and their shares excluding VAT, in the order staff entered them.

    With no funding recorded, the whole price falls on the client organisation, or on the
    contact when the booking has none; with no price either, the list is empty. Recorded lines
    add up to the price when they were saved (``set_funding``); the price may have moved since,
    so invoicing should compare the sum with ``booking_price_excl_vat`` before issuing.
    """
    lines = list(booking.funding_lines.order_by("position", "pk"))
    if not lines:
        price = booking_price_excl_vat(booking)
        return [_default_share(booking, price)] if price else []
    return [
        FundingShare(
            payer_kind=line.payer_kind,
            payer_name=line.payer_name,
            client_organisation_id=line.client_organisation_id,
            email=line.email,
            address=line.address,
            agreement_number=line.agreement_number,
            amount_excl_vat=line.amount_excl_vat,
            direct_payment=line.direct_payment,
            funding_type=line.funding_type,
        )
        for line in lines
    ]


def check_line(line: dict, index: int) -> None:
    """Raise ``ValidationError`` naming line ``index`` (from 1) when ``line`` is incomplete or inconsistent."""
    kind = line.get("payer_kind")
    where = {"line": index}
    if kind not in PAYER_KINDS:
        raise ValidationError(_("Line %(line)d: choose who pays.") % where)
    if not (line.get("payer_name") or "").strip():
        raise ValidationError(_("Line %(line)d: give the payer's name.") % where)
    amount = line.get("amount_excl_vat")
    if not isinstance(amount, Decimal) or amount <= 0:
        raise ValidationError(_("Line %(line)d: the amount must be more than 0.") % where)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Line %(line)d: the amount has at most two decimals.") % where)
    if line.get("funding_type") and line["funding_type"] not in FundingType.values:
        raise ValidationError(_("Line %(line)d: choose a funding type from the list.") % where)
    if line.get("direct_payment") and kind != "opco":
        raise ValidationError(_("Line %(line)d: only an OPCO pays by direct payment (subrogation).") % where)
    if kind == "opco" and line.get("direct_payment") and not (line.get("agreement_number") or "").strip():
        raise ValidationError(_("Line %(line)d: an OPCO paying directly needs its funding agreement number.") % where)


def set_funding(booking, lines: list[dict], *, by=None) -> list[FundingLine]:
    """Replace the funding lines of ``booking`` with ``lines``; return the new rows.

    Each line is a dict of ``FundingLine`` fields (``payer_kind``, ``payer_name``,
    ``amount_excl_vat`` as Decimal, optional ``client_organisation``, ``enrolment``, ``email``,
    ``address``, ``agreement_number``, ``direct_payment``). The amounts must add up to
    ``booking_price_excl_vat(booking)``. All or nothing; writes the audit event ``funding.set``.

    Raises ``ValidationError`` naming the faulty line, or ``FundingMismatch`` with the difference.
    """
    price = booking_price_excl_vat(booking)
    if price is None:
        raise ValidationError(_("This booking has no price: set the session's price first."))
    if not lines:
        raise ValidationError(_("Add at least one payer."))
    for index, line in enumerate(lines, start=1):
        check_line(line, index)
        enrolment = line.get("enrolment")
        if enrolment is not None and enrolment.booking_id != booking.pk:
            raise ValidationError(_("Line %(line)d: this trainee is not in the booking.") % {"line": index})
    total = sum((line["amount_excl_vat"] for line in lines), Decimal("0.00"))
    if total != price:
        difference = price - total
        raise FundingMismatch(
            _("The amounts add up to %(total)s € but the price excl. VAT is %(price)s €: difference %(difference)s €.")
            % {"total": money(total), "price": money(price), "difference": money(difference)},
            difference=difference,
        )
    fields = {f.name for f in FundingLine._meta.fields} - {"id", "booking", "position", "created_at", "updated_at"}
    with transaction.atomic():
        booking.funding_lines.all().delete()
        rows = [
            FundingLine.objects.create(
                booking=booking, position=position, **{k: v for k, v in line.items() if k in fields}
            )
            for position, line in enumerate(lines)
        ]
        record_event(
            "funding.set",
            obj=booking,
            data={
                "price_excl_vat": str(price),
                "shares": [{"payer_kind": r.payer_kind, "amount_excl_vat": str(r.amount_excl_vat)} for r in rows],
            },
            actor=by,
        )
    return rows
