"""Facts the scheduling app adds to the catalogue listing and course page (registered in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
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


def course_instance_facts(sessions) -> list:
    """``sessions`` (with their slots prefetched) as the catalogue's ``CourseInstanceFacts``, no query."""
    from django.urls import reverse

    from academy.catalog.extensions import CourseInstanceFacts

    facts = []
    for course_session in sessions:
        slots = course_session.ordered_slots()
        if not slots:
            continue
        tz = course_session.tzinfo
        mode = "online" if course_session.is_remote_only else ("blended" if course_session.remote_url else "onsite")
        facts.append(
            CourseInstanceFacts(
                starts_at=slots[0].starts_at.astimezone(tz),
                ends_at=max(slot.ends_at for slot in slots).astimezone(tz),
                dates=tuple(sorted({slot.starts_at.astimezone(tz).date() for slot in slots})),
                hours=sum((slot.duration_hours for slot in slots), Decimal(0)),
                mode=mode,
                place=course_session.venue_address,
                language=course_session.language,
                price_incl_vat=course_session.price_incl_vat,
                currency=course_session.currency,
                url=reverse("enrolment:enrol", kwargs={"pk": course_session.pk}),
                full=course_session.status == CourseSession.Status.FULL,
            )
        )
    return facts
