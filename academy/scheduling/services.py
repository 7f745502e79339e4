"""Scheduling rules: copying sessions and days so that local wall-clock times are kept.

Slots are stored as aware UTC datetimes. Copying "three days later" means the same local time
(09:00 Paris) on another local date, not the same UTC instant plus 72 hours: across a clock
change (last Sunday of March and of October in the EU, Directive 2000/84/EC) the two differ by
one hour (field case FC-03).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import LocalTimeInvalid, NoSlotsToCopy, TrainerDoubleBooked
from .models import CourseSession, SessionSlot, Trainer


def local_datetime(day: datetime.date, time: datetime.time, tz) -> datetime.datetime:
    """Return the aware datetime for wall-clock ``time`` on ``day`` in timezone ``tz``.

    A time skipped by a clock change resolves forward (02:30 on the spring change becomes 03:30),
    an ambiguous one takes its first occurrence.
    """
    naive = datetime.datetime.combine(day, time)
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-trip through UTC to normalise non-existent local times.
    return aware.astimezone(datetime.UTC).astimezone(tz)


def local_time_problem(day: datetime.date, time: datetime.time, tz) -> str | None:
    """Why wall-clock ``time`` on ``day`` in ``tz`` cannot be used as is, or None when it can.

    At the spring change (last Sunday of March in the EU, Directive 2000/84/EC) local times from
    02:00 to 02:59 do not exist; at the autumn change those from 02:00 to 02:59 occur twice. A
    half-day typed at such a time would silently move or be ambiguous, so it is refused with a
    translated message naming the time, the day and the timezone (FC-03).
    """
    naive = datetime.datetime.combine(day, time.replace(tzinfo=None))
    first = naive.replace(tzinfo=tz, fold=0)
    values = {"time": time.strftime("%H:%M"), "day": day.isoformat(), "timezone": str(tz)}
    if first.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return (
            _(
                "%(time)s does not exist on %(day)s in %(timezone)s: the clocks go forward one hour then. "
                "Choose another time."
            )
            % values
        )
    if first.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        return (
            _(
                "%(time)s occurs twice on %(day)s in %(timezone)s: the clocks go back one hour then. "
                "Choose a time outside the repeated hour."
            )
            % values
        )
    return None


def shift_local(moment: datetime.datetime, *, days: int, tz, strict: bool = False) -> datetime.datetime:
    """Return ``moment`` moved by ``days`` calendar days keeping its wall-clock time in ``tz``.

    With ``strict``, raises LocalTimeInvalid when that wall-clock time does not exist or is
    ambiguous on the new day (see ``local_time_problem``).
    """
    local = moment.astimezone(tz)
    day, time = local.date() + datetime.timedelta(days=days), local.time().replace(tzinfo=None)
    if strict and (problem := local_time_problem(day, time, tz)):
        raise LocalTimeInvalid(problem)
    return local_datetime(day, time, tz)


# --- status changes --------------------------------------------------------------------------


@transaction.atomic
def change_status(*, course_session: CourseSession, status: str) -> None:
    """Give ``course_session`` the new ``status`` after the same validation as the admin form.

    Raises django.core.exceptions.ValidationError (nothing saved) when the session would be
    invalid with that status (``CourseSession.clean``: venue or remote link, published course,
    capacity…), or when enrolment would open on a session without any half-day.
    """
    from django.core.exceptions import ValidationError

    course_session.status = status
    errors = {}
    try:
        course_session.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict
    if status in CourseSession.ENROLLING_STATUSES and not course_session.slots.exists():
        errors.setdefault("slots", []).append(_("Add at least one half-day before opening enrolment."))
    if errors:
        raise ValidationError(errors)
    course_session.save(update_fields=["status", "updated_at"])


# --- trainer double-booking ------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerConflict:
    """A trainer's half-day that overlaps a half-day of another (non-cancelled) session they deliver."""

    trainer: Trainer
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    other_slot: SessionSlot

    def message(self) -> str:
        """A translated sentence naming the trainer, the other session and both times (its local time)."""
        other = self.other_slot.course_session
        tz = other.tzinfo
        return _(
            "%(trainer)s already delivers %(session)s on %(date)s, %(other_start)s–%(other_end)s, "
            "which overlaps the half-day %(start)s–%(end)s."
        ) % {
            "trainer": self.trainer,
            "session": other,
            "date": self.other_slot.starts_at.astimezone(tz).strftime("%d/%m/%Y"),
            "other_start": self.other_slot.starts_at.astimezone(tz).strftime("%H:%M"),
            "other_end": self.other_slot.ends_at.astimezone(tz).strftime("%H:%M"),
            "start": self.starts_at.astimezone(tz).strftime("%H:%M"),
            "end": self.ends_at.astimezone(tz).strftime("%H:%M"),
        }


def trainer_conflicts(
    *,
    trainers: Iterable[Trainer | int],
    slots: Iterable[tuple[datetime.datetime, datetime.datetime]],
    exclude_session_id: int | None = None,
) -> list[TrainerConflict]:
    """Return every overlap between ``slots`` and other sessions' half-days of ``trainers``.

    ``slots`` are ``(starts_at, ends_at)`` aware datetimes; two half-days overlap when each starts
    before the other ends (touching ends do not overlap). Cancelled sessions and the session
    ``exclude_session_id`` (the one being edited) are ignored. Ordered by time, then trainer.
    """
    trainer_ids = {t.pk if isinstance(t, Trainer) else int(t) for t in trainers}
    slots = [(start, end) for start, end in slots if start and end]
    if not trainer_ids or not slots:
        return []
    overlap = Q()
    for start, end in slots:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start)
    others = (
        SessionSlot.objects.filter(overlap, course_session__trainers__in=trainer_ids)
        .exclude(course_session__status=CourseSession.Status.CANCELLED)
        .select_related("course_session__course")
        .distinct()
        .order_by("starts_at")
    )
    if exclude_session_id is not None:
        others = others.exclude(course_session_id=exclude_session_id)
    others = list(others)
    booked = defaultdict(set)
    for session_id, trainer_id in CourseSession.trainers.through.objects.filter(
        coursesession_id__in={o.course_session_id for o in others}, trainer_id__in=trainer_ids
    ).values_list("coursesession_id", "trainer_id"):
        booked[session_id].add(trainer_id)
    trainers_by_id = Trainer.objects.in_bulk(trainer_ids)
    conflicts = []
    for other in others:
        for start, end in slots:
            if other.starts_at < end and other.ends_at > start:
                for trainer_id in sorted(booked[other.course_session_id]):
                    conflicts.append(TrainerConflict(trainers_by_id[trainer_id], start, end, other))
    return conflicts


def ensure_trainers_free(*, course_session: CourseSession) -> None:
    """Raise TrainerDoubleBooked, naming each overlap, when a trainer of ``course_session`` (not
    cancelled) also delivers another non-cancelled session at the same time as one of its half-days."""
    if course_session.status == CourseSession.Status.CANCELLED:
        return
    conflicts = trainer_conflicts(
        trainers=course_session.trainers.all(),
        slots=course_session.slots.values_list("starts_at", "ends_at"),
        exclude_session_id=course_session.pk,
    )
    if conflicts:
        raise TrainerDoubleBooked(" ".join(c.message() for c in conflicts), conflicts=conflicts)


@transaction.atomic
def copy_course_session(*, course_session: CourseSession, first_day: datetime.date) -> CourseSession:
    """Create a draft copy of ``course_session`` whose first day is ``first_day`` (local date).

    Every slot keeps its local start and end time and its offset in days from the first day;
    trainers, place, capacity and price are copied; enrolments are not. The enrolment deadline
    moves by the same number of days. Returns the new session.

    Raises NoSlotsToCopy when the session has no slot, LocalTimeInvalid when a copied time falls
    in a clock change, and TrainerDoubleBooked (nothing is created) when a trainer already
    delivers another session at one of the new times.
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
            starts_at=shift_local(slot.starts_at, days=offset_days, tz=tz, strict=True),
            ends_at=shift_local(slot.ends_at, days=offset_days, tz=tz, strict=True),
            content=slot.content,
        )
        for slot in slots
    )
    ensure_trainers_free(course_session=copy)
    return copy


@transaction.atomic
def copy_day(*, course_session: CourseSession, from_day: datetime.date, to_day: datetime.date) -> list[SessionSlot]:
    """Add to ``course_session`` a copy of the slots of local date ``from_day`` on ``to_day``.

    Local start and end times are kept whatever the clock changes in between (FC-03). Returns the
    new slots. Raises NoSlotsToCopy when no slot starts on ``from_day`` in the session's timezone,
    LocalTimeInvalid (nothing is added) when a copied time falls in a clock change,
    TrainerDoubleBooked (nothing is added) when a trainer is busy elsewhere at a new time.
    """
    tz = course_session.tzinfo
    source = [s for s in course_session.slots.order_by("starts_at") if s.starts_at.astimezone(tz).date() == from_day]
    if not source:
        raise NoSlotsToCopy(_("No half-day slot on %(day)s to copy.") % {"day": from_day.isoformat()})
    days = (to_day - from_day).days
    created = SessionSlot.objects.bulk_create(
        SessionSlot(
            course_session=course_session,
            starts_at=shift_local(slot.starts_at, days=days, tz=tz, strict=True),
            ends_at=shift_local(slot.ends_at, days=days, tz=tz, strict=True),
            content=slot.content,
        )
        for slot in source
    )
    ensure_trainers_free(course_session=course_session)
    return created
