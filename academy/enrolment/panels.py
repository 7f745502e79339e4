"""The "Sessions & enrolment" block of the course page (slot "sessions" of the catalogue)."""

from __future__ import annotations

from django.db.models import Prefetch

from academy.scheduling.models import CourseSession, SessionSlot

from .seats import with_seat_counts


def upcoming_sessions(course) -> list[CourseSession]:
    """Open upcoming inter-company sessions of ``course`` with slots and seat counts: two queries."""
    return list(
        with_seat_counts(CourseSession.objects.open_for_enrolment().filter(course=course))
        .select_related("course")
        .prefetch_related(Prefetch("slots", queryset=SessionSlot.objects.order_by("starts_at")))
    )


def sessions_panel_context(request, course) -> dict | None:
    """Context of the panel, or None when no session is open (the catalogue shows its empty state)."""
    sessions = upcoming_sessions(course)
    if not sessions:
        return None
    return {"course": course, "course_sessions": sessions}
