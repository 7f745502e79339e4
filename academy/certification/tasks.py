"""Background work of the certification app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from .models import CertificateBatch


@task()
def run_certificate_batch(batch_id: int) -> int:
    """Share batch ``batch_id`` out between background tasks (``issue_certificate_part``); returns
    the number of trainees."""
    from .services import process_certificate_batch

    batch = CertificateBatch.objects.select_related("course_session", "requested_by").get(pk=batch_id)
    return process_certificate_batch(batch=batch).total


@task()
def issue_certificate_part(batch_id: int, enrolment_ids: list[int]) -> int:
    """Issue and e-mail the certificates of one part of batch ``batch_id``; returns how many were issued."""
    from .services import process_certificate_part

    return process_certificate_part(batch_id=batch_id, enrolment_ids=enrolment_ids)


@task()
def resume_interrupted_batches() -> int:
    """Queue again every batch still queued or running after ``ACADEMY_STALE_TASK_SECONDS``.

    Its task was lost (the Redis queue lost its data) or its worker died; issuing is idempotent
    (each trainee keeps one current certificate, e-mailed once), so running the batch again only
    issues what is missing. Returns how many batches were queued again. Periodic work.
    """
    from django.utils import timezone

    from academy.core.delivery import stale_after

    stale = CertificateBatch.objects.filter(
        status__in=[CertificateBatch.Status.QUEUED, CertificateBatch.Status.RUNNING],
        created_at__lt=timezone.now() - stale_after(),
    )
    ids = list(stale.values_list("pk", flat=True))
    for batch_id in ids:
        run_certificate_batch.enqueue(batch_id)
    return len(ids)
