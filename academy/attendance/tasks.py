"""Background tasks of the attendance app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def detect_absences_task() -> int:
    """Periodic: open a follow-up (and e-mail the trainee) for each newly detected absence."""
    from .engagement import detect_all_absences

    return detect_all_absences()
