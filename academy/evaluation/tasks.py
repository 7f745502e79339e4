"""Background tasks of the evaluation app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from academy.enrolment.models import Enrolment


@task()
def send_positioning_before_task(enrolment_id: int) -> bool:
    """Send the "before" self-positioning link to the confirmed enrolment ``enrolment_id``."""
    from .sending import send_positioning_before

    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return False
    return send_positioning_before(enrolment=enrolment)


@task()
def send_due_evaluations_task() -> dict:
    """Periodic: send the invitations and reminders that are due (idempotent)."""
    from .sending import send_due_evaluations

    return send_due_evaluations()


@task()
def rebuild_daily_satisfaction_task() -> int:
    """Safety net: recompute the per-day satisfaction figures from the responses."""
    from .services import rebuild_daily_satisfaction

    return rebuild_daily_satisfaction()
