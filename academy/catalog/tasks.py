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


@task()
def refresh_course_page_snapshots_task() -> int:
    """Periodic: once a day (organisation's timezone), snapshot every published course page.

    Catches what a page shows that changes with time alone (a session leaving the page, the
    12-month satisfaction window); an unchanged page stores nothing. Returns how many were stored.
    """
    import datetime

    from django.utils import timezone

    from academy.core.scheduler import claim

    from .snapshots import snapshot_course_pages

    day = timezone.localdate()
    due = datetime.datetime.combine(day, datetime.time(0), tzinfo=timezone.get_default_timezone())
    if not claim("catalog.course_page_snapshots.daily", due):
        return 0
    return snapshot_course_pages()
