"""Queries on sessions used in more than one place (course page, catalogue, planning, feeds)."""

from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo, available_timezones

from django.db import models
from django.utils import timezone

#: Timezone of a session whose ``timezone`` field is empty.
DEFAULT_TIMEZONE = "Europe/Paris"


def enrolment_deadline_passed(deadline: datetime.date | None, tz_name: str, now: datetime.datetime) -> bool:
    """True when ``now`` (aware) is after the end of the local day ``deadline`` in timezone ``tz_name``.

    The enrolment deadline is a date: enrolment stays possible until midnight at its end, in the
    session's own timezone. No deadline never passes.
    """
    return deadline is not None and timezone.localdate(now, ZoneInfo(tz_name or DEFAULT_TIMEZONE)) > deadline


@functools.lru_cache(maxsize=8)
def _zones_off_the_utc_day(minute: datetime.datetime) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Timezone names whose local date at ``minute`` (UTC) is the day before, and the day after, UTC's.

    Local midnight falls on a whole UTC minute everywhere, so one answer holds for the whole minute.
    """
    day = minute.date()
    behind, ahead = [], []
    for name in available_timezones() | {""}:
        local_day = timezone.localdate(minute, ZoneInfo(name or DEFAULT_TIMEZONE))
        if local_day < day:
            behind.append(name)
        elif local_day > day:
            ahead.append(name)
    return tuple(sorted(behind)), tuple(sorted(ahead))


def enrolment_deadline_not_passed(now: datetime.datetime) -> models.Q:
    """The condition ``enrolment_deadline_passed()`` is false at ``now``, for a query on sessions.

    Local dates are at most one day from UTC's, so a deadline the day before, the day itself, or
    after the UTC date of ``now`` decides by the session's timezone alone.
    """
    minute = now.astimezone(datetime.UTC).replace(second=0, microsecond=0)
    day = minute.date()
    behind, ahead = _zones_off_the_utc_day(minute)
    return (
        models.Q(enrolment_deadline__isnull=True)
        | models.Q(enrolment_deadline__gt=day)
        | (models.Q(enrolment_deadline=day) & ~models.Q(timezone__in=ahead))
        | models.Q(enrolment_deadline=day - datetime.timedelta(days=1), timezone__in=behind)
    )


class CourseSessionQuerySet(models.QuerySet):
    """Query helpers for ``CourseSession``."""

    def with_dates(self) -> CourseSessionQuerySet:
        """Annotate ``first_starts_at`` and ``last_ends_at`` (aware UTC) from the slots."""
        return self.annotate(first_starts_at=models.Min("slots__starts_at"), last_ends_at=models.Max("slots__ends_at"))

    def upcoming(self, now=None) -> CourseSessionQuerySet:
        """Sessions whose first slot starts after ``now`` (default: now), earliest first."""
        now = now or timezone.now()
        return self.with_dates().filter(first_starts_at__gt=now).order_by("first_starts_at", "pk")

    def open_for_enrolment(self, now=None) -> CourseSessionQuerySet:
        """Sessions the public may enrol on at ``now`` (default: now): ``CourseSession.enrolment_closed_reason()``
        is None for each of them, in one query.

        Upcoming inter-company sessions of published courses taking enrolments (open, or full with
        a waiting list) whose enrolment deadline has not passed in the session's timezone.
        """
        now = now or timezone.now()
        return (
            self.upcoming(now)
            .filter(kind=self.model.Kind.INTER_COMPANY, status__in=self.model.ENROLLING_STATUSES)
            .filter(course__status="published")
            .filter(enrolment_deadline_not_passed(now))
        )
