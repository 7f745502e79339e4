"""Quotes (devis): totals, the items a quote must hold, issuing, revising, the client's answer.

Public API used by agreements, invoicing and the client space:

- ``totals(quote) -> QuoteTotals``: amounts excl. VAT, VAT per rate, total incl. VAT (Decimal, €);
- ``draft_from_lead(lead) -> Quote``: a draft prefilled from a quote or customisation request;
- ``missing_items(quote) -> list[str]``: what keeps a draft from being issued;
- ``issue(quote, by=None)``: number, freeze, e-mail the contact with a signed answer link and the PDF;
- ``revise(quote) -> Quote``: a new draft copying an issued quote, which it will replace;
- ``accept(quote, signer_name)`` / ``decline(quote)``: the client's answer through the signed link;
- ``answer_token(quote)`` / ``quote_from_token(token)``: the signed, expiring answer link;
- ``quote_pdf(quote) -> bytes``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.catalog.models import Lead
from academy.core import tokens
from academy.core.audit import record_event
from academy.core.models import TrainingOrganisation
from academy.core.notifications import notify
from academy.core.pdf import render_pdf
from academy.core.validators import validate_single_line
from academy.core.vat import VatLineInput, compute_totals, line_net
from academy.scheduling.models import CourseSession

from .models import Quote, QuoteLine

ANSWER_PURPOSE = "commerce.quote_answer"
#: The answer link outlives the validity date by nothing: it is checked against ``valid_until``;
#: this bound only limits how long any link can ever be replayed.
ANSWER_LINK_MAX_AGE = datetime.timedelta(days=366)
#: CGI art. 261-4-4°-a: continuing vocational training by an organisation holding the exemption.
VAT_EXEMPTION_MENTION = "Exonération de TVA, article 261-4-4°-a du CGI"


@dataclass(frozen=True)
class VatLine:
    """The VAT of one rate: ``base`` excl. VAT, ``rate_pct`` (None for the exemption), ``vat``."""

    rate_pct: Decimal | None
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class QuoteTotals:
    """Amounts of a quote in euros: each line's amount, VAT per rate, totals."""

    line_amounts: list[tuple[QuoteLine, Decimal]]
    vat_lines: list[VatLine]
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal


def _vat_line(line: QuoteLine) -> VatLineInput:
    return VatLineInput(
        quantity=Decimal(line.quantity),
        unit_price=Decimal(line.unit_price_excl_vat),
        vat_category="E" if line.vat_exempt else "S",
        vat_rate=Decimal(0) if line.vat_exempt else Decimal(line.vat_rate_pct),
        exemption_reason=VAT_EXEMPTION_MENTION if line.vat_exempt else "",
    )


def line_amount(line: QuoteLine) -> Decimal:
    """Quantity × unit price excl. VAT, rounded half-up to the cent."""
    return line_net(line.quantity, line.unit_price_excl_vat)


def totals(quote: Quote) -> QuoteTotals:
    """Totals of ``quote``: VAT is computed once per rate on that rate's base, rounded half-up to the cent.

    Exempt lines (CGI art. 261-4-4°-a) form their own base with no VAT. The rule is the one of
    invoices (``academy.core.vat.compute_totals``, EN 16931 BR-CO-10/17), so a quote and the
    invoice drawn from it agree to the cent.
    """
    lines = list(quote.lines.order_by("position", "pk"))
    computed = compute_totals(_vat_line(line) for line in lines)
    vat_lines = sorted(
        (VatLine(rate_pct=None if b.category == "E" else b.rate, base=b.base, vat=b.vat) for b in computed.breakdown),
        key=lambda v: (v.rate_pct is not None, v.rate_pct or 0),
    )
    return QuoteTotals(
        list(zip(lines, computed.lines_net, strict=True)),
        vat_lines,
        computed.total_net,
        computed.total_vat,
        computed.total_gross,
    )


def missing_items(quote: Quote, *, today: datetime.date | None = None) -> list[str]:
    """What ``quote`` lacks to be issued, as sentences for staff; empty when it can be issued."""
    today = today or timezone.localdate()
    missing = []
    if not (quote.organisation_name.strip() or quote.client_organisation_id or quote.contact_name.strip()):
        missing.append(_("the client (organisation or person)"))
    if not quote.contact_name.strip():
        missing.append(_("the contact's name"))
    if not quote.contact_email.strip():
        missing.append(_("the contact's e-mail address"))
    if quote.valid_until is None:
        missing.append(_("the validity date"))
    elif quote.valid_until < today:
        missing.append(_("a validity date not already past"))
    if not quote.lines.exists():
        missing.append(_("at least one priced line"))
    return missing


class QuoteIncomplete(ValidationError):
    """The quote lacks mandatory items; ``missing`` lists them."""

    def __init__(self, missing: list[str]):
        super().__init__(
            _("This quote cannot be issued; missing: %(items)s.") % {"items": ", ".join(missing)}, code="incomplete"
        )
        self.missing = missing


def open_draft(lead: Lead) -> Quote | None:
    """The draft quote of a request (lead) still being written, if any: a request has at most one."""
    return Quote.objects.filter(lead=lead, status=Quote.Status.DRAFT).order_by("pk").first()


def draft_from_lead(lead: Lead) -> Quote:
    """The draft quote of a quote or customisation request: its open draft when there is one (a second
    click or call never makes a second draft), else a new one prefilled from the request (its contact,
    organisation, course)."""
    with transaction.atomic():
        Lead.objects.select_for_update().filter(pk=lead.pk).first()
        existing = open_draft(lead)
        if existing is not None:
            return existing
        return Quote.objects.create(
            lead=lead,
            organisation_name=lead.organisation_name,
            contact_name=("%s %s" % (lead.first_name, lead.last_name)).strip(),
            contact_email=lead.email,
            client_need=lead.message or "",
            course=lead.course,
            language=getattr(lead, "language", "") or "fr",
        )


def _next_reference(year: int) -> str:
    prefix = "D-%d-" % year
    last = (
        Quote.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return "%s%04d" % (prefix, number)


def issue(quote: Quote, *, by=None) -> Quote:
    """Issue the draft ``quote``: give it a reference, freeze it, send it to its contact.

    The contact gets the PDF and a signed link to accept or decline (``notify`` event
    ``commerce.quote_issued``). The quote it revises is marked replaced; its request (lead) moves
    to "quoted". Writes ``quote.issued``. Raises ``ValidationError`` unless a draft, and
    ``QuoteIncomplete`` naming what is missing.
    """
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        if not quote.is_draft:
            raise ValidationError(_("Only a draft quote can be issued."))
        missing = missing_items(quote)
        if missing:
            raise QuoteIncomplete(missing)
        now = timezone.now()
        quote.reference = _next_reference(timezone.localdate(now).year)
        quote.status = Quote.Status.ISSUED
        quote.issued_at = now
        quote.save(update_fields=["reference", "status", "issued_at", "updated_at"])
        if quote.revises_id:
            Quote.objects.filter(pk=quote.revises_id, status=Quote.Status.ISSUED).update(status=Quote.Status.SUPERSEDED)
        if quote.lead_id:
            Lead.objects.filter(pk=quote.lead_id).update(status=Lead.Status.QUOTED)
        record_event(
            "quote.issued",
            obj=quote,
            data={"reference": quote.reference, "total_excl_vat": str(totals(quote).total_excl_vat)},
            person_email=quote.contact_email,
            actor=by,
        )
        notify(
            event="commerce.quote_issued",
            to=quote.contact_email,
            language=quote.language,
            context={"quote": quote, "answer_url": settings.SITE_URL + answer_path(quote)},
            attachments=[("devis-%s.pdf" % quote.reference, quote_pdf(quote), "application/pdf")],
        )
    return quote


def revise(quote: Quote) -> Quote:
    """A new draft copying the issued ``quote`` (its lines too); issuing it replaces ``quote``.

    Raises ``ValidationError`` for a draft (edit it instead) or an accepted quote.
    """
    if quote.status not in (Quote.Status.ISSUED, Quote.Status.DECLINED):
        raise ValidationError(_("Only an issued or declined quote can be revised."))
    with transaction.atomic():
        lines = list(quote.lines.all())
        revision = Quote.objects.get(pk=quote.pk)
        revision.pk = None
        revision._state.adding = True
        revision.reference, revision.status, revision.issued_at, revision.answered_at = (
            "",
            Quote.Status.DRAFT,
            None,
            None,
        )
        revision.revises = quote
        revision.course_session = None
        revision.save()
        for line in lines:
            line.pk = None
            line.quote = revision
            line.save()
    return revision


def answer_token(quote: Quote) -> str:
    """The signed token of ``quote``'s answer link (opens only this quote)."""
    return tokens.make_token(ANSWER_PURPOSE, {"quote": quote.pk})


def answer_path(quote: Quote) -> str:
    """The path of ``quote``'s answer page, in the quote's language."""
    with translation.override(quote.language):
        return reverse("commerce:quote_answer", kwargs={"token": answer_token(quote)})


def quote_from_token(token: str) -> Quote | None:
    """The issued (or answered) quote of ``token``, or ``None`` when forged, expired or unknown."""
    try:
        payload = tokens.read_token(ANSWER_PURPOSE, token, max_age=ANSWER_LINK_MAX_AGE)
    except tokens.InvalidToken:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("quote"), int):
        return None
    return Quote.objects.exclude(status=Quote.Status.DRAFT).filter(pk=payload["quote"]).first()


def _check_answerable(quote: Quote) -> None:
    if quote.status != Quote.Status.ISSUED:
        raise ValidationError(_("This quote was already answered or replaced."))
    if quote.valid_until < timezone.localdate():
        raise ValidationError(_("This quote expired on %(date)s.") % {"date": quote.valid_until.strftime("%d/%m/%Y")})


def accept(quote: Quote, *, signer_name: str) -> Quote:
    """The client accepts ``quote``: its request is won; an in-company draft session and a draft
    training agreement are prepared.

    The session (kind in-company, status draft, the client organisation) is created when the
    quote names a course; staff then schedule it and complete the agreement. Writes ``quote.accepted``. Raises
    ``ValidationError`` when already answered, replaced or expired, or without a signer name.
    """
    signer_name = " ".join((signer_name or "").split())
    if not signer_name:
        raise ValidationError(_("Give your name to accept the quote."))
    validate_single_line(signer_name)
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        _check_answerable(quote)
        quote.status = Quote.Status.ACCEPTED
        quote.answered_at = timezone.now()
        if quote.course_id:
            trainees = max((line.trainees for line in quote.lines.all()), default=1)
            quote.course_session = CourseSession.objects.create(
                course=quote.course,
                kind=CourseSession.Kind.IN_COMPANY,
                status=CourseSession.Status.DRAFT,
                client_organisation=quote.client_organisation,
                capacity_seats=max(trainees, 1),
                price_excl_vat=None,
                language=quote.language,
            )
        quote.save(update_fields=["status", "answered_at", "course_session", "updated_at"])
        if quote.lead_id:
            Lead.objects.filter(pk=quote.lead_id).update(status=Lead.Status.WON)
        from .agreements import draft_from_quote  # agreements build on quotes, not the reverse

        draft_from_quote(quote)
        record_event(
            "quote.accepted",
            obj=quote,
            data={"reference": quote.reference, "course_session": quote.course_session_id},
            person_email=quote.contact_email,
        )
    return quote


def decline(quote: Quote) -> Quote:
    """The client declines ``quote``: its request is lost. Writes ``quote.declined``.

    Raises ``ValidationError`` when already answered, replaced or expired.
    """
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        _check_answerable(quote)
        quote.status = Quote.Status.DECLINED
        quote.answered_at = timezone.now()
        quote.save(update_fields=["status", "answered_at", "updated_at"])
        if quote.lead_id:
            Lead.objects.filter(pk=quote.lead_id).update(status=Lead.Status.LOST)
        record_event("quote.declined", obj=quote, data={"reference": quote.reference}, person_email=quote.contact_email)
    return quote


def quote_pdf(quote: Quote) -> bytes:
    """The PDF of ``quote`` (WeasyPrint), in the quote's language."""
    from . import terms
    from .models import TermsDocument

    with translation.override(quote.language):
        return render_pdf(
            "commerce/pdf/quote.html",
            {
                "quote": quote,
                "organisation": TrainingOrganisation.current(),
                "totals": totals(quote),
                "exemption_mention": VAT_EXEMPTION_MENTION,
                "terms_of_sale": terms.current(TermsDocument.Kind.TERMS_OF_SALE),
            },
        )
