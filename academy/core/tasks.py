"""Background tasks of the core app (Django Tasks API, django-tasks backport)."""

from __future__ import annotations

from django_tasks import task

from . import delivery


@task()
def deliver_email(email_id: int) -> str:
    """Make one delivery attempt of stored e-mail ``email_id``; return its status afterwards.

    Idempotent: a message already sent, or being sent by another worker, is left alone. A failure
    is stored on the message with its next attempt time (``academy.core.delivery``).
    """
    return delivery.deliver(email_id)


@task()
def deliver_due_emails() -> int:
    """Queue the deliveries that are due (retries, interrupted or lost ones); return how many."""
    return delivery.retry_due_emails()
