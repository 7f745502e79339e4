"""Background tasks of the privacy app: audience purge and retention, run daily by the scheduler."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def purge_audience_task() -> int:
    """Delete anonymous page-view counts older than 25 months; return rows deleted."""
    return services.purge_audience()


@task()
def flush_audience_task() -> int:
    """Write the page views counted in the cache to the database; return the views written."""
    return services.flush_page_views()


@task()
def apply_retention_task() -> dict:
    """Apply every app's retention periods (docs/privacy.md); return records removed per app."""
    return services.apply_retention()
