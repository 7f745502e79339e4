"""Background tasks of the API app: webhook deliveries and their retries."""

from __future__ import annotations

from django_tasks import task

from . import webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Make one attempt of webhook delivery ``delivery_id``; idempotent (a delivered one is left alone)."""
    return webhooks.deliver(delivery_id)


@task()
def retry_due_webhooks_task() -> int:
    """Attempt the webhook deliveries whose retry is due; return how many."""
    return webhooks.retry_due()
