"""The "Sessions & enrolment" block of the course page (slot "sessions" of the catalogue).

Each session is summarised once in Python (days and times in the session's timezone, seats left,
links) and the template only prints the summary. The course page shows the next
``SESSIONS_SHOWN`` sessions and links to the page listing them all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse

from academy.scheduling.models import CourseSession, SessionSlot

from .seats import seats_left, with_seat_counts

#: Sessions shown on the course page; the others are on the course's sessions page.
SESSIONS_SHOWN = 5


@dataclass(frozen=True)
class SlotTimes:
    starts: datetime.time
    ends: datetime.time
    starts_iso: str


@dataclass(frozen=True)
class SessionDay:
    date: datetime.date
    slots: list[SlotTimes]


@dataclass(frozen=True)
class SessionSummary:
    """What the public sees of one open session; dates and times are local to the session."""

    pk: int
    days: list[SessionDay]
    venue_address: str
    remote_url: str
    seats_left: int
    price_excl_vat: Decimal | None
    price_incl_vat: Decimal | None
    vat_rate_pct: Decimal
    currency: str
    enrol_url: str
    calendar_url: str

    @property
    def first_day(self) -> datetime.date:
        return self.days[0].date

    @property
    def last_day(self) -> datetime.date:
        return self.days[-1].date

    @property
    def single_day(self) -> bool:
        return len(self.days) == 1


def open_sessions(course):
    """Queryset of the open upcoming inter-company sessions of ``course``, soonest first, with
    seat counts, slots prefetched (in start order)."""
    return (
        with_seat_counts(CourseSession.objects.open_for_enrolment().filter(course=course))
        .select_related("course")
        .prefetch_related(Prefetch("slots", queryset=SessionSlot.objects.order_by("starts_at")))
    )


def upcoming_sessions(course, *, limit: int | None = None) -> list[CourseSession]:
    """Open upcoming inter-company sessions of ``course`` with slots and seat counts: two queries.

    The full list is kept on ``course`` so that the sessions block and the page's schema.org data
    share it; a ``limit`` alone (the course page's first sessions) queries only that many.
    """
    cached = getattr(course, "_open_sessions", None)
    if cached is None:
        if limit is not None:
            return list(open_sessions(course)[:limit])
        cached = course._open_sessions = list(open_sessions(course))
    return cached if limit is None else cached[:limit]


def course_instances(course) -> list:
    """The open upcoming sessions of ``course`` as schema.org facts for the course page."""
    from academy.scheduling.listing import course_instance_facts

    return course_instance_facts(upcoming_sessions(course))


def summarise(course_session: CourseSession) -> SessionSummary:
    """Summarise ``course_session`` (slots prefetched, seat counts annotated): no query."""
    tz = course_session.tzinfo
    days: dict[datetime.date, list[SlotTimes]] = {}
    for slot in course_session.slots.all():
        starts, ends = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
        days.setdefault(starts.date(), []).append(SlotTimes(starts.time(), ends.time(), starts.isoformat()))
    return SessionSummary(
        pk=course_session.pk,
        days=[SessionDay(day, slots) for day, slots in sorted(days.items())],
        venue_address=course_session.venue_address,
        remote_url=course_session.remote_url,
        seats_left=seats_left(course_session),
        price_excl_vat=course_session.price_excl_vat,
        price_incl_vat=course_session.price_incl_vat,
        vat_rate_pct=course_session.vat_rate_pct,
        currency=course_session.currency,
        enrol_url=reverse("enrolment:enrol", kwargs={"pk": course_session.pk}),
        calendar_url=course_session.calendar_url,
    )


def session_summaries(course, *, limit: int | None = None) -> list[SessionSummary]:
    return [summarise(s) for s in upcoming_sessions(course, limit=limit) if s.slots.all()]


def sessions_panel_context(request, course) -> dict | None:
    """Context of the panel, or None when no session is open (the catalogue shows its empty state)."""
    summaries = session_summaries(course, limit=SESSIONS_SHOWN + 1)
    if not summaries:
        return None
    return {
        "course": course,
        "summaries": summaries[:SESSIONS_SHOWN],
        "more": len(summaries) > SESSIONS_SHOWN,
        "all_url": reverse("enrolment:course_sessions", kwargs={"code": course.code}),
    }
