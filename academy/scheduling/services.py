"""Scheduling rules: copying sessions and days so that local wall-clock times are kept.

Slots are stored as aware UTC datetimes. Copying "three days later" means the same local time
(09:00 Paris) on another local date, not the same UTC instant plus 72 hours: across a clock
change (last Sunday of March and of October in the EU, Directive 2000/84/EC) the two differ by
one hour (field case FC-03).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from .exceptions import NoSlotsToCopy
from .models import CourseSession, SessionSlot


def local_datetime(day: datetime.date, time: datetime.time, tz) -> datetime.datetime:
    """Return the aware datetime for wall-clock ``time`` on ``day`` in timezone ``tz``.

    A time skipped by a clock change resolves forward (02:30 on the spring change becomes 03:30),
    an ambiguous one takes its first occurrence.
    """
    naive = datetime.datetime.combine(day, time)
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-trip through UTC to normalise non-existent local times.
    return aware.astimezone(datetime.UTC).astimezone(tz)


def shift_local(moment: datetime.datetime, *, days: int, tz) -> datetime.datetime:
    """Return ``moment`` moved by ``days`` calendar days keeping its wall-clock time in ``tz``."""
    local = moment.astimezone(tz)
    return local_datetime(local.date() + datetime.timedelta(days=days), local.time().replace(tzinfo=None), tz)


@transaction.atomic
def copy_course_session(*, course_session: CourseSession, first_day: datetime.date) -> CourseSession:
    """Create a draft copy of ``course_session`` whose first day is ``first_day`` (local date).

    Every slot keeps its local start and end time and its offset in days from the first day;
    trainers, place, capacity and price are copied; enrolments are not. The enrolment deadline
    moves by the same number of days. Returns the new session.

    Raises NoSlotsToCopy when the session has no slot.
    """
    tz = course_session.tzinfo
    slots = list(course_session.slots.order_by("starts_at"))
    if not slots:
        raise NoSlotsToCopy(_("This session has no half-day slot to copy."))
    offset_days = (first_day - slots[0].starts_at.astimezone(tz).date()).days
    trainers = list(course_session.trainers.all())
    copy = CourseSession.objects.get(pk=course_session.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.status = CourseSession.Status.DRAFT
    if copy.enrolment_deadline:
        copy.enrolment_deadline = copy.enrolment_deadline + datetime.timedelta(days=offset_days)
    copy.save()
    copy.trainers.set(trainers)
    SessionSlot.objects.bulk_create(
        SessionSlot(
            course_session=copy,
            starts_at=shift_local(slot.starts_at, days=offset_days, tz=tz),
            ends_at=shift_local(slot.ends_at, days=offset_days, tz=tz),
            content=slot.content,
        )
        for slot in slots
    )
    return copy


@transaction.atomic
def copy_day(*, course_session: CourseSession, from_day: datetime.date, to_day: datetime.date) -> list[SessionSlot]:
    """Add to ``course_session`` a copy of the slots of local date ``from_day`` on ``to_day``.

    Local start and end times are kept whatever the clock changes in between (FC-03). Returns the
    new slots. Raises NoSlotsToCopy when no slot starts on ``from_day`` in the session's timezone.
    """
    tz = course_session.tzinfo
    source = [s for s in course_session.slots.order_by("starts_at") if s.starts_at.astimezone(tz).date() == from_day]
    if not source:
        raise NoSlotsToCopy(_("No half-day slot on %(day)s to copy.") % {"day": from_day.isoformat()})
    days = (to_day - from_day).days
    return SessionSlot.objects.bulk_create(
        SessionSlot(
            course_session=course_session,
            starts_at=shift_local(slot.starts_at, days=days, tz=tz),
            ends_at=shift_local(slot.ends_at, days=days, tz=tz),
            content=slot.content,
        )
        for slot in source
    )
