"""Background work of invoicing (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_overdue_reminders_task() -> int:
    """Periodic: remind the payers of overdue invoices (idempotent); returns how many were sent."""
    from .reminders import send_overdue_reminders

    return send_overdue_reminders()
