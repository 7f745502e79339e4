"""Delivering stored e-mails: one attempt, retries with back-off, recovery of interrupted work.

Rules
    * A message is claimed before it is sent (status "sending", one more attempt counted), in one
      conditional UPDATE, so two workers never send it at the same time, and a message marked
      "sent" is never sent again.
    * A failed attempt is retried after ``retry_delay(attempts)``: 1, 2, 4, 8… minutes, at most
      ``ACADEMY_EMAIL_MAX_ATTEMPTS`` attempts (default 6). Then the message stays "failed" with no
      next attempt; staff see it on the outbox and may retry it by hand.
    * Work interrupted by a dead worker is recovered after ``stale_after()`` (setting
      ``ACADEMY_STALE_TASK_SECONDS``, default 1,800 s = 30 min; it must exceed the longest task):
      background tasks still "running" are put back in the queue, and messages still "sending"
      are delivered again. Recovery runs with the periodic work and when a worker starts
      (``manage.py run_worker``). A message whose sending was cut short may therefore be
      delivered twice (at least once), never one already marked sent.
    * Addresses erasure left behind (``notifications.is_erased_address``) are never written to: a
      message left with none other is given up ("failed", no next attempt).
"""

from __future__ import annotations

import base64
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboundEmail
from .notifications import is_erased_address

logger = logging.getLogger(__name__)

RETRY_BASE = datetime.timedelta(minutes=1)


def max_attempts() -> int:
    """Delivery attempts before giving up (setting ``ACADEMY_EMAIL_MAX_ATTEMPTS``, default 6)."""
    return max(1, int(getattr(settings, "ACADEMY_EMAIL_MAX_ATTEMPTS", 6)))


def stale_after() -> datetime.timedelta:
    """How long work may stay "running" or "sending" before it counts as interrupted.

    Setting ``ACADEMY_STALE_TASK_SECONDS`` (default 1,800 seconds).
    """
    return datetime.timedelta(seconds=int(getattr(settings, "ACADEMY_STALE_TASK_SECONDS", 1800)))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait after the ``attempts``-th failed attempt: 1 minute, doubled after each failure."""
    return RETRY_BASE * (2 ** max(0, attempts - 1))


def _claim(email_id: int, now: datetime.datetime) -> bool:
    """Mark the message "sending" unless it is sent or being sent by a live worker; True when claimed."""
    claimable = Q(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED]) | Q(
        status=OutboundEmail.Status.SENDING, last_attempt_at__lt=now - stale_after()
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=email_id).update(
            status=OutboundEmail.Status.SENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            next_attempt_at=None,
            updated_at=now,
        )
    )


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """Return the Django message for stored ``email`` (recipients encoded on sending)."""
    from .notifications import formatted_recipients

    names = email.display_names or {}
    # The envelope (``recipients()``) keeps bare addresses; the To and Reply-To headers carry the
    # display names, which Django encodes (RFC 2047) when it writes the message.
    headers = {}
    to = [a for a in email.to if not is_erased_address(a)]
    reply_to = [a for a in email.reply_to or [] if not is_erased_address(a)]
    if any(a in names for a in to):
        headers["To"] = ", ".join(formatted_recipients(to, names))
    if any(a in names for a in reply_to):
        headers["Reply-To"] = ", ".join(formatted_recipients(reply_to, names))
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return message


def deliver(email_id: int, *, now: datetime.datetime | None = None) -> str:
    """Make one delivery attempt of stored e-mail ``email_id``; return its status afterwards.

    Does nothing to a message already sent or being sent by another worker. A failure is stored
    on the message (error, attempts, next attempt time) instead of being raised.
    Raises OutboundEmail.DoesNotExist for an unknown id.
    """
    now = now or timezone.now()
    if not _claim(email_id, now):
        return OutboundEmail.objects.get(pk=email_id).status
    email = OutboundEmail.objects.get(pk=email_id)
    if not [a for a in email.to if not is_erased_address(a)]:
        # Its recipient was erased while it waited: it is given up, never retried.
        email.status = OutboundEmail.Status.FAILED
        email.error = "No deliverable recipient: the person was erased."
        email.next_attempt_at = None
        email.save(update_fields=["status", "error", "next_attempt_at", "updated_at"])
        return email.status
    try:
        build_message(email).send()
    except Exception as exc:
        logger.warning("Delivery of e-mail %s failed (attempt %s): %s", email.pk, email.attempts, exc)
        email.status = OutboundEmail.Status.FAILED
        email.error = ("%s: %s" % (type(exc).__name__, exc))[:2000]
        email.next_attempt_at = now + retry_delay(email.attempts) if email.attempts < max_attempts() else None
        email.save(update_fields=["status", "error", "next_attempt_at", "updated_at"])
        return email.status
    email.status = OutboundEmail.Status.SENT
    email.sent_at = timezone.now()
    email.next_attempt_at = None
    email.save(update_fields=["status", "sent_at", "next_attempt_at", "updated_at"])
    return email.status


def due_for_delivery(now: datetime.datetime | None = None):
    """Return the messages a delivery should be attempted for now.

    Failed ones whose next attempt is due, ones "sending" for longer than ``stale_after()``, and
    ones still "queued" after ``stale_after()`` (their task was lost).
    """
    now = now or timezone.now()
    stale = now - stale_after()
    return OutboundEmail.objects.filter(
        Q(status=OutboundEmail.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=OutboundEmail.Status.SENDING, last_attempt_at__lt=stale)
        | Q(status=OutboundEmail.Status.QUEUED, created_at__lt=stale)
    )


def retry_due_emails(*, now: datetime.datetime | None = None) -> int:
    """Queue a delivery task for every message ``due_for_delivery``; return how many were queued."""
    from .tasks import deliver_email

    ids = list(due_for_delivery(now).values_list("pk", flat=True))
    for email_id in ids:
        deliver_email.enqueue(email_id)
    return len(ids)


def retry_now(email: OutboundEmail) -> bool:
    """Queue an immediate delivery of a failed message (staff action); False when it is not failed."""
    from .tasks import deliver_email

    updated = OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.FAILED).update(
        next_attempt_at=timezone.now(), updated_at=timezone.now()
    )
    if updated:
        deliver_email.enqueue(email.pk)
    return bool(updated)


def recover_stale_tasks(*, now: datetime.datetime | None = None) -> int:
    """Put back in the queue every database task "running" for longer than ``stale_after()``.

    Such a task was cut short by a dead worker (killed, machine restarted). Every task of the
    product is idempotent (see ``academy.core.scheduler``), so running it again is safe.
    Returns the number of tasks re-queued.
    """
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["redis"]:
        return recover_abandoned_redis_jobs()

    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - stale_after())
    count = 0
    for result in stale:
        logger.warning("Re-queueing task %s (%s), running since %s", result.pk, result.task_path, result.started_at)
        count += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return count


def recover_abandoned_redis_jobs(*, at: float | None = None) -> int:
    """Put back in the Redis queue every job a dead worker abandoned (task queue on Redis, RQ).

    RQ notices a job whose worker stopped sending heartbeats and moves it to the failed jobs with
    ``AbandonedJobError``; such jobs are re-queued here (every task is idempotent). Jobs that
    failed by raising are left for staff to see. ``at`` (a Unix time, default now) is when the
    heartbeats are looked at. Returns the number of jobs re-queued.
    """
    import django_rq
    from django_tasks_rq.backend import Job

    count = 0
    for queue_name in django_rq.settings.QUEUES:
        queue = django_rq.get_queue(queue_name, job_class=Job)
        queue.started_job_registry.cleanup(timestamp=at)
        failed = queue.failed_job_registry
        for job_id in failed.get_job_ids():
            job = queue.fetch_job(job_id)
            if job is None:
                continue
            result = job.latest_result()
            reasons = [
                result.exc_string or "" if result is not None else "",
                *job.meta.get("_django_tasks_rq_exceptions", []),
            ]
            if any("AbandonedJobError" in reason for reason in reasons):
                logger.warning("Re-queueing job %s (%s), abandoned by a dead worker", job_id, job.func_name)
                failed.requeue(job_id)
                count += 1
    return count


def recover_stale_work(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Recover interrupted tasks, then queue the deliveries that are due; return both counts."""
    now = now or timezone.now()
    return {"tasks": recover_stale_tasks(now=now), "emails": retry_due_emails(now=now)}
