"""Personal data held by quality records: complaints (who filed them and what they wrote)."""

from __future__ import annotations

from academy.core.text import normalise_email
from academy.privacy.registry import ERASED_TEXT, PersonalDataProvider

from .models import Complaint


def _complaints(email: str) -> list[Complaint]:
    candidates = Complaint.objects.filter(email__icontains=email.split("@")[-1])
    return [complaint for complaint in candidates if normalise_email(complaint.email) == email]


def export(email: str) -> dict:
    complaints = [
        {
            "reference": c.reference,
            "received_at": c.received_at.isoformat(),
            "name": c.name,
            "email": c.email,
            "organisation": c.organisation_name,
            "subject": c.subject,
            "description": c.description,
            "answer": c.answer,
            "answered_at": c.answered_at.isoformat() if c.answered_at else None,
            "status": c.status,
        }
        for c in _complaints(email)
    ]
    return {"complaints": complaints} if complaints else {}


def erase(email: str) -> int:
    """Anonymise the person's complaints; reference, dates, status and object stay (Qualiopi indicator 31)."""
    changed = 0
    for complaint in _complaints(email):
        complaint.name = ERASED_TEXT
        complaint.email = ""
        complaint.organisation_name = ""
        complaint.description = ERASED_TEXT
        complaint.save(update_fields=["name", "email", "organisation_name", "description", "updated_at"])
        changed += 1
    return changed


PROVIDER = PersonalDataProvider(
    "compliance",
    export=export,
    erase=erase,
    retained=["Complaints keep their reference, dates, object, answer and status (Qualiopi indicator 31)."],
)
