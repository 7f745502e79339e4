"""Periodic background work of enrolment (Django Tasks API), registered with the core scheduler."""

from __future__ import annotations

from django_tasks import task


@task()
def send_due_joining_instructions() -> int:
    """Send the joining instructions due now; idempotent (each enrolment is claimed once)."""
    from .services import send_due_joining_instructions as run

    return run()


@task()
def expire_waiting_list_offers() -> int:
    """Cancel offers past their deadline, clean started sessions' waiting lists, promote the next."""
    from .services import expire_offers

    return expire_offers()
