"""Facts the scheduling app adds to the catalogue listing (registered in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import CourseSession


def next_session_dates(courses: Sequence) -> dict[int, dict]:
    """Return ``{course_id: {"next_session_date": date}}`` for courses with an open upcoming session.

    One query for every course of the listing. The date is the local date of the first slot in the
    session's timezone.
    """
    ids = [course.pk for course in courses]
    if not ids:
        return {}
    rows = (
        CourseSession.objects.open_for_enrolment()
        .filter(course_id__in=ids)
        .values_list("course_id", "timezone", "first_starts_at")
        .order_by("first_starts_at", "pk")
    )
    facts: dict[int, dict] = {}
    for course_id, tz_name, start in rows:
        if course_id in facts or start is None:
            continue
        local = timezone.localtime(start, ZoneInfo(tz_name or "Europe/Paris"))
        facts[course_id] = {"next_session_date": local.date()}
    return facts
