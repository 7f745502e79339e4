"""Engagement: absences detected from the signed attendance and their follow-up (Qualiopi indicator 12)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event
from academy.core.notifications import notify
from academy.enrolment.models import NOT_ERASED, Enrolment
from academy.scheduling.models import CourseSession

from .exceptions import AttendanceError
from .models import AbsenceFollowUp, Attendance, Signature


def missed_slots(*, course_session: CourseSession, now: datetime.datetime | None = None) -> list[tuple]:
    """Return ``[(slot, enrolment), …]`` of half-days a confirmed trainee missed, as the attendance shows.

    A half-day counts as missed once it has ended and either the trainer countersigned it without
    the trainee's signature, or the trainee is marked absent (excused absences are not followed
    up). A trainee who dropped out is not followed up for half-days after the drop-out.
    Three queries whatever the size of the session.
    """
    now = now or timezone.now()
    slots = [s for s in course_session.slots.order_by("starts_at") if s.ends_at <= now]
    if not slots:
        return []
    enrolments = list(course_session.enrolments.filter(NOT_ERASED, status=Enrolment.Status.CONFIRMED))
    signatures = Signature.objects.filter(slot__in=slots).values_list("slot_id", "role", "enrolment_id")
    countersigned = {slot_id for slot_id, role, _e in signatures if role == Signature.Role.TRAINER}
    signed = {(slot_id, enrolment_id) for slot_id, role, enrolment_id in signatures if role == Signature.Role.TRAINEE}
    statuses = {
        (a.slot_id, a.enrolment_id): a.status
        for a in Attendance.objects.filter(slot__in=slots, enrolment__in=enrolments).only(
            "slot_id", "enrolment_id", "status"
        )
    }
    missed = []
    for slot in slots:
        for enrolment in enrolments:
            if enrolment.dropped_out_at and enrolment.dropped_out_at <= slot.starts_at:
                continue
            status = statuses.get((slot.pk, enrolment.pk))
            if status == Attendance.Status.EXCUSED:
                continue
            unsigned = slot.pk in countersigned and (slot.pk, enrolment.pk) not in signed
            if status == Attendance.Status.ABSENT or unsigned:
                missed.append((slot, enrolment))
    return missed


def detect_absences(*, course_session: CourseSession, now: datetime.datetime | None = None) -> list[AbsenceFollowUp]:
    """Open a follow-up for each missed half-day not yet followed, and e-mail the trainee once per half-day.

    Idempotent: one follow-up per (enrolment, slot) is a database constraint, so running it twice
    (or on two machines) neither duplicates the task nor the message. Returns the new follow-ups.
    """
    now = now or timezone.now()
    created = []
    for slot, enrolment in missed_slots(course_session=course_session, now=now):
        try:
            with transaction.atomic():
                follow_up = AbsenceFollowUp.objects.create(slot=slot, enrolment=enrolment, detected_at=now)
                notify(
                    event="attendance.absence_follow_up",
                    to=(enrolment.full_name, enrolment.email),
                    context={"enrolment": enrolment, "course": course_session.course, "slot": slot},
                    language=enrolment.booking.language if enrolment.booking_id else None,
                )
                follow_up.message_sent_at = now
                follow_up.save(update_fields=["message_sent_at"])
                record_event(
                    "absence.detected",
                    obj=follow_up,
                    data={"slot": slot.pk, "enrolment": enrolment.pk},
                    person_email=enrolment.email,
                )
        except IntegrityError:
            continue  # already followed
        created.append(follow_up)
    return created


def close_follow_up(*, follow_up: AbsenceFollowUp, outcome: str, by=None) -> AbsenceFollowUp:
    """Record what was done about an absence and close its follow-up. Raises AttendanceError without an outcome."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise AttendanceError(_("Say what was done before closing the follow-up."))
    follow_up.outcome = outcome
    follow_up.status = AbsenceFollowUp.Status.DONE
    follow_up.done_at = timezone.now()
    follow_up.done_by = by if getattr(by, "is_authenticated", False) else None
    follow_up.save(update_fields=["outcome", "status", "done_at", "done_by"])
    record_event(
        "absence.followed_up",
        obj=follow_up,
        data={"slot": follow_up.slot_id, "enrolment": follow_up.enrolment_id},
        person_email=follow_up.enrolment.email,
        actor=by,
    )
    return follow_up


def detect_all_absences(*, now: datetime.datetime | None = None) -> int:
    """Detect absences on every session with a half-day ended in the last 14 days; return how many were opened.

    Called by the periodic entry point.
    """
    now = now or timezone.now()
    sessions = CourseSession.objects.filter(
        slots__ends_at__lte=now, slots__ends_at__gte=now - datetime.timedelta(days=14)
    ).distinct()
    return sum(len(detect_absences(course_session=s, now=now)) for s in sessions)
