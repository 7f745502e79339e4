"""Personal data held by the catalogue: leads (quote, customisation, interest, contact requests)."""

from __future__ import annotations

from datetime import datetime, timedelta

from academy.catalog.models import Lead
from academy.core.text import normalise_email
from academy.privacy.registry import ERASED_TEXT, PersonalDataProvider
from academy.privacy.scrub import contains_any, phone_variants, scrub_text, variants

# CNIL guidance on prospect data: 3 years after the last contact.
LEAD_RETENTION = timedelta(days=3 * 365)


def _leads(email: str) -> list[Lead]:
    candidates = Lead.objects.filter(email__icontains=email.split("@")[-1]).select_related("course")
    return [lead for lead in candidates if normalise_email(lead.email) == email]


def export(email: str) -> dict:
    leads = [
        {
            "created_at": lead.created_at.isoformat(),
            "kind": lead.kind,
            "status": lead.status,
            "course": lead.course.code if lead.course else None,
            "organisation": lead.organisation_name,
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "email": lead.email,
            "phone": lead.phone,
            "trainee_count": lead.trainee_count,
            "wished_period": lead.wished_period,
            "place": lead.place,
            "message": lead.message,
        }
        for lead in _leads(email)
    ]
    return {"leads": leads} if leads else {}


def identify(email: str) -> list[str]:
    """Return the names and phone numbers (in their typed forms) the person's leads give."""
    names = []
    for lead in _leads(email):
        names.append("%s %s" % (lead.first_name, lead.last_name))
        names.append("%s %s" % (lead.last_name, lead.first_name))
        names.extend(phone_variants(lead.phone))
    return names


def erase(email: str) -> int:
    """Anonymise the person's leads: the request (kind, course, size, period) stays for sales counts."""
    changed = 0
    for lead in _leads(email):
        lead.first_name = ERASED_TEXT
        lead.last_name = ERASED_TEXT
        lead.email = "erased-%d@erased.invalid" % lead.pk
        lead.phone = ""
        lead.message = ""
        lead.save(update_fields=["first_name", "last_name", "email", "phone", "message", "updated_at"])
        changed += 1
    return changed


def scrub(texts: list[str]) -> int:
    """Remove ``texts`` from other leads' messages (someone may have named the person)."""
    texts = variants(texts)
    changed = 0
    for lead in Lead.objects.filter(contains_any(("message",), texts)):
        lead.message = scrub_text(lead.message, texts)
        lead.save(update_fields=["message", "updated_at"])
        changed += 1
    return changed


def apply_retention(now: datetime) -> int:
    """Delete leads without activity for 3 years."""
    deleted, _ = Lead.objects.filter(updated_at__lt=now - LEAD_RETENTION).delete()
    return deleted


PROVIDER = PersonalDataProvider(
    app_label="catalog",
    export=export,
    erase=erase,
    identify=identify,
    scrub=scrub,
    apply_retention=apply_retention,
)
