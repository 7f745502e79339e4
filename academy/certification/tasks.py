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
