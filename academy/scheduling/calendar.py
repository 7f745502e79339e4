"""iCalendar (RFC 5545) files: one per session, and subscribable feeds per course and per trainer.

Timed events carry ``TZID`` with the matching ``VTIMEZONE`` so every calendar shows the session's
local time; all-day events (the enrolment deadline) are ``VALUE=DATE`` with an exclusive end,
independent of the server's timezone. Each event has a stable ``UID`` so a re-imported or
refreshed file updates an event instead of duplicating it (field case FC-04), a ``SEQUENCE``
raised whenever the half-day changes, its ``LAST-MODIFIED`` time, and a ``DTSTAMP`` of the moment
the file was generated (RFC 5545 3.8.7.2–3.8.7.4), so calendar clients replace an old time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from academy.core.text import single_line

from .models import CourseSession

PRODID = "-//Academy//Sessions//FR"


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "academy.invalid"


def slot_uid(slot) -> str:
    """Stable identifier of a slot's event."""
    return "slot-%s@%s" % (slot.pk, _uid_domain())


def deadline_uid(course_session: CourseSession) -> str:
    """Stable identifier of a session's enrolment-deadline event."""
    return "session-%s-deadline@%s" % (course_session.pk, _uid_domain())


def _location(course_session: CourseSession) -> str:
    parts = [" ".join(course_session.venue_address.split())] if course_session.venue_address else []
    if course_session.remote_url:
        parts.append(course_session.remote_url)
    return " — ".join(parts)


#: Years a calendar event may fall in: far from the ends of Python's dates (1–9999), so converting
#: to local time and the timezone transitions a year either side never overflow.
SHOWABLE_YEARS = range(1900, 9001)


def _showable(moment: datetime.date) -> bool:
    return moment.year in SHOWABLE_YEARS


def session_events(course_session: CourseSession, *, with_deadline: bool = True) -> list[Event]:
    """Return the events of ``course_session``: one per half-day slot, and its enrolment deadline.

    Expects ``course`` selected and ``slots`` prefetched when called for many sessions.
    """
    tz = course_session.tzinfo
    title = single_line(course_session.course.title)
    stamp = timezone.now().replace(microsecond=0).astimezone(datetime.UTC)
    session_modified = (course_session.updated_at or stamp).replace(microsecond=0).astimezone(datetime.UTC)
    url = settings.SITE_URL + course_session.course.get_absolute_url()
    events = []
    for slot in course_session.ordered_slots():
        if not (_showable(slot.starts_at) and _showable(slot.ends_at)):
            continue  # a date no calendar can hold (only stored by hand: forms refuse it)
        event = Event()
        event.add("uid", slot_uid(slot))
        event.add("dtstamp", stamp)
        event.add("sequence", slot.sequence)
        modified = max(session_modified, (slot.updated_at or stamp).replace(microsecond=0).astimezone(datetime.UTC))
        event.add("last-modified", modified)
        event.add("dtstart", slot.starts_at.astimezone(tz))
        event.add("dtend", slot.ends_at.astimezone(tz))
        event.add("summary", "%s — %s" % (title, slot.half_day_label))
        location = _location(course_session)
        if location:
            event.add("location", location)
        description = "\n".join((slot.content or course_session.course.subtitle or "").splitlines())
        if course_session.remote_url:
            description = (
                "%s\n%s" % (description, course_session.remote_url) if description else course_session.remote_url
            )
        if description:
            event.add("description", description)
        event.add("url", url)
        if course_session.status == CourseSession.Status.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        events.append(event)
    if with_deadline and course_session.enrolment_deadline and _showable(course_session.enrolment_deadline):
        day = course_session.enrolment_deadline
        event = Event()
        event.add("uid", deadline_uid(course_session))
        event.add("dtstamp", stamp)
        event.add("last-modified", session_modified)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", _("Enrolment deadline: %(title)s") % {"title": title})
        event.add("transp", "TRANSPARENT")
        events.append(event)
    return events


def build_calendar(course_sessions: Iterable[CourseSession], *, name: str, with_deadline: bool = True) -> bytes:
    """Return an iCalendar document (bytes) holding the events of ``course_sessions``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", single_line(name))
    years = []
    for course_session in course_sessions:
        for event in session_events(course_session, with_deadline=with_deadline):
            calendar.add_component(event)
            years.append(event.decoded("dtstart").year)
    if years:
        # Transitions a year either side are enough and keep the VTIMEZONE small.
        calendar.add_missing_timezones(
            first_date=datetime.date(min(years) - 1, 1, 1), last_date=datetime.date(max(years) + 1, 12, 31)
        )
    return calendar.to_ical()


def session_calendar(course_session: CourseSession) -> bytes:
    """The .ics of one session (its slots and enrolment deadline)."""
    return build_calendar([course_session], name=str(course_session.course.title))


#: Session fields shown in every event of its half-days: a change gives each event a new SEQUENCE.
SESSION_CALENDAR_FIELDS = ("venue_address", "remote_url", "status", "timezone", "course_id")


def remember_calendar_fields(sender, instance: CourseSession, **kwargs) -> None:
    """``pre_save`` of CourseSession: note whether a field the events show is about to change."""
    instance._calendar_changed = False
    if instance._state.adding or instance.pk is None:
        return
    before = CourseSession.objects.filter(pk=instance.pk).values(*SESSION_CALENDAR_FIELDS).first()
    instance._calendar_changed = bool(
        before and any(before[name] != getattr(instance, name) for name in SESSION_CALENDAR_FIELDS)
    )


def raise_slot_sequences(sender, instance: CourseSession, created: bool, **kwargs) -> None:
    """``post_save`` of CourseSession: after such a change, raise the SEQUENCE of each of its half-days."""
    from django.db.models import F

    from .models import SessionSlot

    if not created and getattr(instance, "_calendar_changed", False):
        SessionSlot.objects.filter(course_session=instance).update(
            sequence=F("sequence") + 1, updated_at=timezone.now()
        )
