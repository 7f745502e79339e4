"""Training agreements (conventions) and training contracts: drafting, issuing, signing.

Public API used by invoicing and the client space:

- ``draft_from_booking(booking) -> Agreement``: a draft holding every mandatory item;
- ``draft_from_quote(quote) -> Agreement``: the same from an accepted quote;
- ``missing_items(agreement) -> list[str]``: what keeps a draft from being issued;
- ``set_payment_schedule(agreement, instalments)``: checked against L6353-6 for contracts;
- ``issue(agreement, by=None)``: freeze the PDF and send the signing link;
- ``sign(agreement, name, ip, user_agent)``: simple electronic signature of the exact PDF bytes;
- ``countersign(agreement, by)``; ``amend(agreement) -> Agreement``: a new version;
- ``withdrawal_ends(agreement) -> date | None``: the end of a contract's 10-day withdrawal period;
- ``signing_token(agreement)`` / ``agreement_from_token(token)``.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from academy.core import tokens
from academy.core.audit import record_event
from academy.core.models import TrainingOrganisation
from academy.core.notifications import notify
from academy.core.numbers import round_half_up
from academy.core.pdf import render_pdf
from academy.core.validators import validate_single_line
from academy.enrolment.models import Enrolment

from . import funding, terms
from .models import Agreement, PaymentInstalment, Quote, TermsDocument

SIGN_PURPOSE = "commerce.agreement_sign"
SIGN_LINK_MAX_AGE = datetime.timedelta(days=90)
#: Code du travail L6353-5: ten days from the signature of a training contract.
WITHDRAWAL_DAYS = 10
#: Code du travail L6353-6: the advance paid at the end of the withdrawal period is at most 30 %.
MAX_ADVANCE_SHARE = Decimal("0.30")
#: Code du travail L6313-1: the categories of actions that may be agreed.
NATURE = "Action de formation (Code du travail, article L6313-1)"

#: The mandatory items (Code du travail D6353-1, L6353-8), checked before issuing.
MANDATORY = (
    "party_name",
    "title",
    "objectives",
    "nature",
    "duration_hours",
    "dates",
    "place",
    "trainees",
    "teaching_methods",
    "evaluation_methods",
    "price_excl_vat",
    "payment_terms",
    "funding",
    "terms_of_sale",
    "signer_email",
)


def _mandatory_labels() -> dict[str, str]:
    return {
        "party_name": _("the client"),
        "title": _("the title of the action"),
        "objectives": _("the objectives"),
        "nature": _("the nature of the action"),
        "duration_hours": _("the duration"),
        "dates": _("the dates"),
        "place": _("the place"),
        "trainees": _("the trainees"),
        "teaching_methods": _("the teaching methods"),
        "evaluation_methods": _("the follow-up and evaluation methods"),
        "price_excl_vat": _("the price"),
        "payment_terms": _("the payment terms"),
        "funding": _("the funding"),
        "terms_of_sale": _("the terms of sale version"),
        "signer_email": _("the signer's e-mail address"),
    }


def _session_items(session) -> dict:
    days = session.local_days()
    dates = "\n".join(
        "%s : %s"
        % (
            date_format(day["date"], "l j F Y"),
            ", ".join("%s–%s" % (s.local_start.strftime("%H:%M"), s.local_end.strftime("%H:%M")) for s in day["slots"]),
        )
        for day in days
    )
    place = session.venue_address or (
        _("Remote: %(link)s") % {"link": session.remote_url} if session.remote_url else ""
    )
    return {"dates": dates, "place": place, "duration_hours": session.duration_hours or session.course.duration_hours}


def _course_items(course) -> dict:
    return {
        "title": course.title,
        "objectives": "\n".join(o.text for o in course.objectives.order_by("position")),
        "nature": NATURE,
        "teaching_methods": course.teaching_methods,
        "evaluation_methods": course.evaluation_methods,
    }


def _funding_text(shares) -> str:
    lines = []
    for share in shares:
        text = "%s — %s : %s € HT" % (share.payer_kind, share.payer_name, share.amount_excl_vat)
        if share.agreement_number:
            text += " (accord %s)" % share.agreement_number
        if share.direct_payment:
            text += " — subrogation"
        lines.append(text)
    return "\n".join(lines)


def draft_from_booking(booking) -> Agreement:
    """A draft agreement for ``booking``: a convention when it has a client organisation, else a
    training contract with the contact. Every mandatory item is copied from the course, the
    session, the confirmed trainees, the funding and the terms version accepted. Raises
    ``ValidationError`` when the booking has no confirmed trainee (all cancelled, say)."""
    session = booking.course_session
    trainees = Enrolment.objects.filter(booking=booking, status=Enrolment.Status.CONFIRMED).order_by("last_name")
    if not trainees.exists():
        raise ValidationError(
            _("This booking has no confirmed trainee: there is nothing to agree on."), code="no_trainee"
        )
    acceptance = terms.accepted_terms(booking)
    organisation = booking.client_organisation
    with translation.override(booking.language or "fr"):
        return Agreement.objects.create(
            kind=Agreement.Kind.AGREEMENT if organisation else Agreement.Kind.CONTRACT,
            booking=booking,
            client_organisation=organisation,
            party_name=organisation.name
            if organisation
            else "%s %s" % (booking.contact_first_name, booking.contact_last_name),
            party_address=organisation.address if organisation else "",
            signer_email=booking.contact_email,
            **_course_items(session.course),
            **_session_items(session),
            trainees="\n".join("%s %s" % (e.first_name, e.last_name) for e in trainees),
            price_excl_vat=funding.booking_price_excl_vat(booking),
            payment_terms=_("Payment at 30 days from the invoice date, after the training."),
            funding=_funding_text(funding.shares_for(booking)),
            terms_of_sale=(acceptance.terms_of_sale if acceptance else None)
            or terms.current(TermsDocument.Kind.TERMS_OF_SALE),
            language=booking.language or "fr",
        )


def draft_from_quote(quote: Quote) -> Agreement:
    """A draft convention for the accepted ``quote``: price from its totals, dates from its
    in-company session once scheduled. Raises ``ValidationError`` unless the quote is accepted."""
    if quote.status != Quote.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted quote gives an agreement."))
    from .quotes import totals

    items = _course_items(quote.course) if quote.course else {}
    if quote.course_session is not None:
        items.update(_session_items(quote.course_session))
    trainees = max((line.trainees for line in quote.lines.all()), default=0)
    return Agreement.objects.create(
        kind=Agreement.Kind.AGREEMENT,
        quote=quote,
        client_organisation=quote.client_organisation,
        party_name=quote.client_organisation.name if quote.client_organisation else quote.organisation_name,
        party_address=quote.client_organisation.address if quote.client_organisation else "",
        signer_email=quote.contact_email,
        **items,
        trainees=_("%(count)d trainees, named before the session.") % {"count": trainees} if trainees else "",
        price_excl_vat=totals(quote).total_excl_vat,
        payment_terms=_("Payment at 30 days from the invoice date, after the training."),
        funding="%s : %s € HT" % (quote.client_organisation or quote.organisation_name, totals(quote).total_excl_vat),
        terms_of_sale=terms.current(TermsDocument.Kind.TERMS_OF_SALE),
        language=quote.language,
    )


def missing_items(agreement: Agreement) -> list[str]:
    """The mandatory items ``agreement`` lacks, as labels for staff; empty when it can be issued."""
    labels = _mandatory_labels()
    missing = []
    for name in MANDATORY:
        value = getattr(agreement, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(labels[name])
    return missing


def withdrawal_ends(agreement: Agreement, *, signed_on: datetime.date | None = None) -> datetime.date | None:
    """The last day of a training contract's withdrawal period (signature day + 10, L6353-5).

    ``signed_on`` defaults to the Paris date of the signature; ``None`` for a convention or an
    unsigned contract without ``signed_on``.
    """
    if agreement.kind != Agreement.Kind.CONTRACT:
        return None
    if signed_on is None:
        if agreement.signed_at is None:
            return None
        signed_on = timezone.localdate(agreement.signed_at)
    return signed_on + datetime.timedelta(days=WITHDRAWAL_DAYS)


def check_schedule(agreement: Agreement, instalments: list[dict], *, signed_on: datetime.date) -> None:
    """Raise ``ValidationError`` when ``instalments`` break the rules of a training contract.

    For a contract signed on ``signed_on``: nothing falls due before the withdrawal period ends
    (L6353-6), and the advances add up to at most 30 % of the price. Amounts are Decimal excl. VAT.
    """
    for index, row in enumerate(instalments, start=1):
        if not isinstance(row.get("amount_excl_vat"), Decimal) or row["amount_excl_vat"] <= 0:
            raise ValidationError(_("Payment %(n)d: the amount must be more than 0.") % {"n": index})
        if not isinstance(row.get("due_date"), datetime.date):
            raise ValidationError(_("Payment %(n)d: give its due date.") % {"n": index})
    if agreement.kind != Agreement.Kind.CONTRACT:
        return
    end = withdrawal_ends(agreement, signed_on=signed_on)
    for index, row in enumerate(instalments, start=1):
        if row["due_date"] <= end:
            raise ValidationError(
                _(
                    "Payment %(n)d falls due on %(date)s, before the withdrawal period ends on %(end)s: "
                    "nothing may be paid before (Code du travail L6353-6)."
                )
                % {"n": index, "date": row["due_date"].strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
            )
    advance = sum((row["amount_excl_vat"] for row in instalments if row.get("is_advance")), Decimal("0.00"))
    ceiling = round_half_up((agreement.price_excl_vat or Decimal(0)) * MAX_ADVANCE_SHARE, 2)
    if advance > ceiling:
        raise ValidationError(
            _("The advance of %(advance)s € exceeds 30 %% of the price (%(ceiling)s €, Code du travail L6353-6).")
            % {"advance": funding.money(advance), "ceiling": funding.money(ceiling)}
        )


def set_payment_schedule(agreement: Agreement, instalments: list[dict]) -> list[PaymentInstalment]:
    """Replace the payment schedule of the draft ``agreement`` (dicts of ``due_date``,
    ``amount_excl_vat``, ``is_advance``). A contract is checked as if signed today, the earliest
    it can be. Raises ``ValidationError``; nothing is saved then."""
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError(_("Only a draft agreement can change; make an amendment."))
    check_schedule(agreement, instalments, signed_on=timezone.localdate())
    with transaction.atomic():
        agreement.instalments.all().delete()
        return [
            PaymentInstalment.objects.create(
                agreement=agreement,
                due_date=row["due_date"],
                amount_excl_vat=row["amount_excl_vat"],
                is_advance=bool(row.get("is_advance")),
            )
            for row in instalments
        ]


def agreement_pdf(agreement: Agreement) -> bytes:
    """Render the PDF of ``agreement`` (the bytes ``issue`` freezes)."""
    with translation.override(agreement.language):
        return render_pdf(
            "commerce/pdf/agreement.html",
            {
                "agreement": agreement,
                "organisation": TrainingOrganisation.current(),
                "instalments": list(agreement.instalments.all()),
                "withdrawal_days": WITHDRAWAL_DAYS,
                "terms_url": settings.SITE_URL + _terms_path(agreement),
                "internal_rules_url": settings.SITE_URL + _internal_rules_path(),
            },
        )


def _terms_path(agreement: Agreement) -> str:
    if agreement.terms_of_sale is None:
        return reverse("commerce:terms_of_sale")
    return reverse("commerce:terms_of_sale_version", kwargs={"version": agreement.terms_of_sale.version})


def _internal_rules_path() -> str:
    rules = terms.current(TermsDocument.Kind.INTERNAL_RULES)
    if rules is None:
        return reverse("commerce:internal_rules")
    return reverse("commerce:internal_rules_version", kwargs={"version": rules.version})


def signing_token(agreement: Agreement) -> str:
    """The signed token of ``agreement``'s signing link (opens only this version)."""
    return tokens.make_token(SIGN_PURPOSE, {"agreement": agreement.pk})


def agreement_from_token(token: str) -> Agreement | None:
    """The issued (or later) agreement of ``token``; ``None`` when forged, expired, unknown or a draft."""
    try:
        payload = tokens.read_token(SIGN_PURPOSE, token, max_age=SIGN_LINK_MAX_AGE)
    except tokens.InvalidToken:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("agreement"), int):
        return None
    return Agreement.objects.exclude(status=Agreement.Status.DRAFT).filter(pk=payload["agreement"]).first()


def issue(agreement: Agreement, *, by=None) -> Agreement:
    """Freeze the PDF of the draft ``agreement`` (bytes and SHA-256) and send the signing link.

    The version it amends is marked replaced. Writes ``agreement.issued``; e-mail event
    ``commerce.agreement_issued``. Raises ``ValidationError`` naming the missing mandatory items.
    """
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != Agreement.Status.DRAFT:
            raise ValidationError(_("Only a draft agreement can be issued."))
        missing = missing_items(agreement)
        if missing:
            raise ValidationError(
                _("This agreement cannot be issued; missing: %(items)s.") % {"items": ", ".join(missing)}
            )
        agreement.issued_at = timezone.now()
        content = agreement_pdf(agreement)
        agreement.pdf = content
        agreement.pdf_sha256 = hashlib.sha256(content).hexdigest()
        agreement.status = Agreement.Status.ISSUED
        agreement.save(update_fields=["issued_at", "pdf", "pdf_sha256", "status", "updated_at"])
        if agreement.replaces_id:
            Agreement.objects.filter(pk=agreement.replaces_id).update(status=Agreement.Status.SUPERSEDED)
        record_event(
            "agreement.issued",
            obj=agreement,
            data={"kind": agreement.kind, "version": agreement.version, "sha256": agreement.pdf_sha256},
            person_email=agreement.signer_email,
            actor=by,
        )
        with translation.override(agreement.language):
            path = reverse("commerce:agreement_sign", kwargs={"token": signing_token(agreement)})
        notify(
            event="commerce.agreement_issued",
            to=agreement.signer_email,
            language=agreement.language,
            context={"agreement": agreement, "sign_url": settings.SITE_URL + path},
        )
    return agreement


def sign(agreement: Agreement, *, name: str, ip: str | None, user_agent: str) -> Agreement:
    """The client signs the issued ``agreement`` (simple electronic signature, eIDAS art. 25).

    Records the time, the name typed, the SHA-256 of the exact PDF bytes shown, the IP address
    and the browser. A contract's payment schedule is checked again against the real signature
    date. Writes ``agreement.signed``. Raises ``ValidationError`` when not awaiting a signature,
    without a name, or when the schedule would make the client pay during the withdrawal period.
    """
    name = " ".join((name or "").split())[:200]
    if not name:
        raise ValidationError(_("Type your full name to sign."))
    validate_single_line(name)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != Agreement.Status.ISSUED:
            raise ValidationError(_("This document is not awaiting a signature."))
        now = timezone.now()
        instalments = [
            {"due_date": i.due_date, "amount_excl_vat": i.amount_excl_vat, "is_advance": i.is_advance}
            for i in agreement.instalments.all()
        ]
        check_schedule(agreement, instalments, signed_on=timezone.localdate(now))
        agreement.signed_at = now
        agreement.signed_name = name
        agreement.signed_sha256 = hashlib.sha256(bytes(agreement.pdf)).hexdigest()
        agreement.signed_ip = ip or None
        agreement.signed_user_agent = (user_agent or "")[:500]
        agreement.status = Agreement.Status.SIGNED
        agreement.save()
        record_event(
            "agreement.signed",
            obj=agreement,
            data={"version": agreement.version, "sha256": agreement.signed_sha256},
            person_email=agreement.signer_email,
        )
    return agreement


def countersign(agreement: Agreement, *, by) -> Agreement:
    """The organisation countersigns the signed ``agreement``. Writes ``agreement.countersigned``.

    Raises ``ValidationError`` unless the client has signed.
    """
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status != Agreement.Status.SIGNED:
            raise ValidationError(_("Only an agreement signed by the client can be countersigned."))
        agreement.countersigned_at = timezone.now()
        agreement.countersigned_by = by
        agreement.status = Agreement.Status.COUNTERSIGNED
        agreement.save(update_fields=["countersigned_at", "countersigned_by", "status", "updated_at"])
        record_event("agreement.countersigned", obj=agreement, data={"version": agreement.version}, actor=by)
    return agreement


def amend(agreement: Agreement) -> Agreement:
    """A new draft version copying ``agreement`` (and its schedule); issuing it replaces the old one.

    Raises ``ValidationError`` for a draft (edit it instead) or an already replaced version.
    """
    if agreement.status in (Agreement.Status.DRAFT, Agreement.Status.SUPERSEDED):
        raise ValidationError(_("Only an issued or signed agreement can be amended."))
    with transaction.atomic():
        instalments = list(agreement.instalments.all())
        amendment = Agreement.objects.get(pk=agreement.pk)
        amendment.pk = None
        amendment._state.adding = True
        amendment.version = agreement.version + 1
        amendment.replaces = agreement
        amendment.status = Agreement.Status.DRAFT
        for field in ("issued_at", "pdf", "signed_at", "signed_ip", "countersigned_at", "countersigned_by"):
            setattr(amendment, field, None)
        for field in ("pdf_sha256", "signed_name", "signed_sha256", "signed_user_agent"):
            setattr(amendment, field, "")
        amendment.save()
        for row in instalments:
            row.pk = None
            row.agreement = amendment
            row.save()
    return amendment
