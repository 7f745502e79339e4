"""Background tasks of the catalogue (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def snapshot_course_pages_task(codes: list[str] | None = None) -> int:
    """Snapshot the pages of the published courses with ``codes`` (all when None); return how many were stored."""
    from django.core.cache import cache

    from .snapshots import PENDING_ALL_KEY, snapshot_course_pages

    if codes is None:
        # Cleared before rendering: a change committed from now on queues another task.
        cache.delete(PENDING_ALL_KEY)
    return snapshot_course_pages(codes=codes)
