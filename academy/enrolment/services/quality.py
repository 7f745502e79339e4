"""Needs analysis, adaptations and drop-outs of a trainee (Qualiopi indicators 4, 10 and 12)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event

from ..exceptions import EnrolmentError
from ..models import Adaptation, DropoutReason, Enrolment


def record_needs(*, enrolment: Enrolment, work_context: str, expectations: str, by=None) -> Enrolment:
    """Store the trainee's professional context and expectations (Qualiopi indicator 4)."""
    enrolment.work_context = (work_context or "").strip()
    enrolment.expectations = (expectations or "").strip()
    enrolment.save(update_fields=["work_context", "expectations", "updated_at"])
    return enrolment


def record_adaptation(
    *, enrolment: Enrolment, requested: str, decision: str = "", by=None, adaptation: Adaptation | None = None
) -> Adaptation:
    """Record what was asked for ``enrolment`` and, when given, what was decided, by ``by`` and when.

    Qualiopi indicators 10 (adaptation of the course to the trainee) and 26 (disability). Passing
    ``adaptation`` updates it; a decision already taken keeps its author unless it changes.
    Raises EnrolmentError when nothing was asked.
    """
    requested = (requested or "").strip()
    decision = (decision or "").strip()
    if not requested:
        raise EnrolmentError(_("Say what was asked."))
    with transaction.atomic():
        adaptation = adaptation or Adaptation(enrolment=enrolment)
        changed_decision = decision != adaptation.decision
        adaptation.requested = requested
        adaptation.decision = decision
        if decision and changed_decision:
            adaptation.decided_at = timezone.now()
            adaptation.decided_by = by if getattr(by, "is_authenticated", False) else None
        elif not decision:
            adaptation.decided_at = None
            adaptation.decided_by = None
        adaptation.save()
        record_event(
            "adaptation.recorded",
            obj=adaptation,
            data={"enrolment": enrolment.pk, "decided": bool(decision)},
            person_email=enrolment.email,
            actor=by,
        )
    return adaptation


def record_dropout(*, enrolment: Enrolment, reason: str, detail: str = "", by=None, at=None) -> Enrolment:
    """Record that ``enrolment``'s trainee stopped before the end, with the reason (Qualiopi indicator 12).

    The enrolment stays confirmed (the seat was used; hours attended stay credited); the drop-out
    feeds the completion and drop-out rates. Raises EnrolmentError for an unknown reason, an
    enrolment that is not confirmed, or a date in the future.
    """
    if reason not in DropoutReason.values:
        raise EnrolmentError(_("Choose the reason of the drop-out."))
    at = at or timezone.now()
    if at > timezone.now():
        raise EnrolmentError(_("A drop-out cannot be recorded in the future."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status != Enrolment.Status.CONFIRMED:
            raise EnrolmentError(_("Only a confirmed trainee can drop out."))
        locked.dropped_out_at = at
        locked.dropout_reason = reason
        locked.dropout_detail = (detail or "").strip()
        locked.save(update_fields=["dropped_out_at", "dropout_reason", "dropout_detail", "updated_at"])
        record_event(
            "enrolment.dropped_out",
            obj=locked,
            data={"reason": reason, "course_session": locked.course_session_id},
            person_email=locked.email,
            actor=by,
        )
    return locked
