"""How long attendance records and certificates are kept, and the guard against early deletion.

Rule: the evidence that a training action took place (attendance sheets, certificates of
completion) is kept at least **3 years after the end of the calendar year of the last payment**.
Source: the Ministry of Labour's model "certificat de réalisation" (2020), whose signatory
undertakes "à conserver l'ensemble des pièces justificatives qui ont permis d'établir le présent
certificat pendant une durée de 3 ans à compter de la fin de l'année du dernier paiement"; the
period is longer for actions co-financed by European funds (their agreement's own terms).
See ``docs/attendance-and-certificates.md``.

The product has no payment ledger yet, so the last payment is taken as the latest of the date
given by the caller, the session's last day and the day a certificate was issued (the enrolment's
creation day when none of these exists): the final payment of a training action comes with or
after its certificate, and erring late keeps evidence longer, never shorter.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from academy.enrolment.models import Enrolment

RETENTION_YEARS = 3


class RetentionError(Exception):
    """Deleting this record now would destroy evidence still under legal retention."""


def retention_until(*, last_payment_on: date) -> date:
    """Return the last day evidence must be kept: 31 December of (payment year + 3).

    ``retention_until(last_payment_on=date(2026, 3, 30)) == date(2029, 12, 31)``.
    """
    return date(last_payment_on.year + RETENTION_YEARS, 12, 31)


def enrolment_retention_until(*, enrolment: Enrolment, last_payment_on: date | None = None) -> date:
    """Return until when ``enrolment``'s attendance and certificates are kept (see module docstring)."""
    candidates = [d for d in (last_payment_on,) if d]
    last_slot = enrolment.course_session.slots.order_by("-ends_at").first()
    if last_slot is not None:
        candidates.append(last_slot.local_end.date())
    issued = (
        enrolment.certificates.order_by("-issued_at").values_list("issued_at", flat=True).first()
        if hasattr(enrolment, "certificates")
        else None
    )
    if issued:
        candidates.append(timezone.localtime(issued).date())
    if len(candidates) == 0:
        candidates.append(
            timezone.localtime(enrolment.created_at).date() if enrolment.created_at else timezone.localdate()
        )
    return retention_until(last_payment_on=max(candidates))


def ensure_deletable(*, enrolment: Enrolment, today: date | None = None) -> None:
    """Raise RetentionError when ``enrolment``'s evidence is still under retention on ``today``."""
    today = today or timezone.localdate()
    until = enrolment_retention_until(enrolment=enrolment)
    if today <= until:
        raise RetentionError(
            _("Attendance records and certificates are legal evidence kept until %(date)s.")
            % {"date": until.strftime("%d/%m/%Y")}
        )
