"""Answer windows: when each kind of questionnaire accepts answers for a session."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from academy.scheduling.models import CourseSession

from .. import conf
from ..exceptions import WindowClosed, WindowNotOpen

# --- Answer windows ---------------------------------------------------------------------------
from .questionnaires import Kind


@dataclass(frozen=True)
class AnswerWindow:
    """When a questionnaire kind accepts answers for a session (aware datetimes; None = unbounded)."""

    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None


def _local_day_at(day: datetime.date, tz: ZoneInfo, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def follow_up_due_at(*, course_session: CourseSession, last_end: datetime.datetime) -> datetime.datetime:
    """The follow-up is due at ``EVALUATION_SEND_HOUR`` local time, ``EVALUATION_FOLLOW_UP_DELAY_DAYS``
    calendar days after the local date of the last slot's end (session's timezone)."""
    tz = course_session.tzinfo
    day = last_end.astimezone(tz).date() + datetime.timedelta(days=conf.follow_up_delay_days())
    return _local_day_at(day, tz, conf.send_hour())


def answer_window(*, course_session: CourseSession, kind: str, bounds: tuple | None = None) -> AnswerWindow | None:
    """Return the window in which a trainee may answer ``kind`` for ``course_session``.

    - positioning before: open from confirmation until the end of the first slot (the trainer
      records what is missing at the opening of the session);
    - positioning after and end-of-course survey: from the start of the last slot until
      ``EVALUATION_ANSWER_WINDOW_DAYS`` days after its end;
    - follow-up: from its due date (see ``follow_up_due_at``) for ``EVALUATION_ANSWER_WINDOW_DAYS`` days.

    ``bounds`` may pass ``(first_start, first_end, last_start, last_end)`` already known. A session
    without slots only accepts the "before" positioning: for other kinds the result is None.
    """
    if bounds is None:
        bounds = session_bounds(course_session)
    if bounds is None:
        return AnswerWindow(None, None) if kind == Kind.POSITIONING_BEFORE else None
    first_start, first_end, last_start, last_end = bounds
    days = datetime.timedelta(days=conf.answer_window_days())
    if kind == Kind.POSITIONING_BEFORE:
        return AnswerWindow(None, first_end)
    if kind in (Kind.POSITIONING_AFTER, Kind.END_OF_COURSE):
        return AnswerWindow(last_start, last_end + days)
    due = follow_up_due_at(course_session=course_session, last_end=last_end)
    return AnswerWindow(due, due + days)


def check_window(*, course_session: CourseSession, kind: str, now: datetime.datetime | None = None) -> None:
    """Raise WindowNotOpen or WindowClosed (with a message giving the date) when ``now`` is outside the window."""
    now = now or timezone.now()
    window = answer_window(course_session=course_session, kind=kind)
    if window is None:
        raise WindowNotOpen(_("This questionnaire opens at the end of the session."))
    tz = course_session.tzinfo
    if window.opens_at is not None and now < window.opens_at:
        raise WindowNotOpen(
            _("This questionnaire opens on %(date)s.")
            % {"date": date_format(window.opens_at.astimezone(tz), "DATETIME_FORMAT")}
        )
    if window.closes_at is not None and now > window.closes_at:
        raise WindowClosed(
            _(
                "The answer period closed on %(date)s: your answer arrived too late to be recorded. "
                "Thank you all the same."
            )
            % {"date": date_format(window.closes_at.astimezone(tz), "DATETIME_FORMAT")}
        )


def session_bounds(course_session: CourseSession) -> tuple | None:
    """``(first_start, first_end, last_start, last_end)`` of the session's slots, or None."""
    agg = course_session.slots.aggregate(
        first_start=Min("starts_at"), last_end=Max("ends_at"), last_start=Max("starts_at"), first_end=Min("ends_at")
    )
    if agg["first_start"] is None:
        return None
    return agg["first_start"], agg["first_end"], agg["last_start"], agg["last_end"]
