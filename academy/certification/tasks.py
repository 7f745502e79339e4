"""Background work of the certification app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task

from .models import CertificateBatch


@task()
def run_certificate_batch(batch_id: int) -> int:
    """Issue and e-mail every certificate of batch ``batch_id``; returns how many were issued."""
    from .services import process_certificate_batch

    batch = CertificateBatch.objects.select_related("course_session", "requested_by").get(pk=batch_id)
    return process_certificate_batch(batch=batch).done
