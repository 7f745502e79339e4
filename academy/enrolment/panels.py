"""The "Sessions & enrolment" block of the course page (slot "sessions" of the catalogue)."""

from __future__ import annotations

from django.db.models import Prefetch

from academy.scheduling.models import CourseSession, SessionSlot

from .seats import with_seat_counts


def upcoming_sessions(course) -> list[CourseSession]:
    """Open upcoming inter-company sessions of ``course`` with slots and seat counts: two queries,
    made once per ``course`` object (the sessions block and the page's schema.org data share them)."""
    cached = getattr(course, "_open_sessions", None)
    if cached is None:
        cached = list(
            with_seat_counts(CourseSession.objects.open_for_enrolment().filter(course=course))
            .select_related("course")
            .prefetch_related(Prefetch("slots", queryset=SessionSlot.objects.order_by("starts_at")))
        )
        course._open_sessions = cached
    return cached


def course_instances(course) -> list:
    """The open upcoming sessions of ``course`` as schema.org facts for the course page."""
    from academy.scheduling.listing import course_instance_facts

    return course_instance_facts(upcoming_sessions(course))


def sessions_panel_context(request, course) -> dict | None:
    """Context of the panel, or None when no session is open (the catalogue shows its empty state)."""
    sessions = upcoming_sessions(course)
    if not sessions:
        return None
    return {"course": course, "course_sessions": sessions}
