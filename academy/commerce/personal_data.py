"""Personal data held by commerce: quote contacts and funding lines' billing addresses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from academy.core.text import normalise_email
from academy.privacy.registry import ERASED_TEXT, PersonalDataProvider

from .models import FundingLine, Quote


def _quotes(email: str) -> list[Quote]:
    candidates = Quote.objects.filter(contact_email__icontains=email.split("@")[-1])
    return [quote for quote in candidates if normalise_email(quote.contact_email) == email]


def _funding_lines(email: str) -> list[FundingLine]:
    candidates = FundingLine.objects.filter(email__icontains=email.split("@")[-1])
    return [line for line in candidates if normalise_email(line.email) == email]


def export(email: str) -> dict:
    quotes = [
        {
            "reference": quote.reference,
            "status": quote.status,
            "organisation": quote.organisation_name,
            "contact_name": quote.contact_name,
            "contact_email": quote.contact_email,
            "issued_at": quote.issued_at.isoformat() if quote.issued_at else None,
        }
        for quote in _quotes(email)
    ]
    lines = [
        {
            "booking": line.booking_id,
            "payer_kind": line.payer_kind,
            "payer_name": line.payer_name,
            "email": line.email,
            "address": line.address,
            "amount_excl_vat": str(line.amount_excl_vat),
        }
        for line in _funding_lines(email)
    ]
    data = {}
    if quotes:
        data["quotes"] = quotes
    if lines:
        data["funding_lines"] = lines
    return data


def identify(email: str) -> list[str]:
    """The contact names the person's quotes give."""
    return [quote.contact_name for quote in _quotes(email) if quote.contact_name]


def erase(email: str) -> int:
    """Anonymise the contact of drafts and unanswered or declined quotes.

    Accepted quotes and funding lines are commercial evidence kept ten years (Code de commerce
    L123-22) and stay as they are.
    """
    changed = 0
    for quote in _quotes(email):
        if quote.status == Quote.Status.ACCEPTED:
            continue
        Quote.objects.filter(pk=quote.pk).update(
            contact_name=ERASED_TEXT, contact_email="erased-q%d@erased.invalid" % quote.pk
        )
        changed += 1
    return changed


PROVIDER = PersonalDataProvider(
    app_label="commerce",
    export=export,
    erase=erase,
    identify=identify,
    retained=[
        _("Accepted quotes and the funding of bookings: commercial evidence kept ten years (Code de commerce L123-22).")
    ],
)
