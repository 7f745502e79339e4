"""Staff enrolling one trainee by hand, with the public form's seat rules and a few more rights."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event
from academy.core.text import normalise_email
from academy.scheduling.models import CourseSession
from academy.scheduling.pagecache import invalidate_session

from .. import emails
from ..exceptions import AlreadyEnrolled, SessionNotOpen
from ..models import Booking, Enrolment
from ..seats import seats_taken
from ..signals import enrolment_confirmed
from .booking import plan_seats
from .common import (
    ContactDetails,
    TraineeDetails,
    audit,
    create_booking,
    create_enrolment,
    free_seats,
    is_one_live_enrolment_violation,
    lock_session,
    on_commit_send,
    raise_if_already_enrolled,
    sync_full_status,
)
from .waiting_list import promote_locked

#: Session statuses on which staff may still enrol someone by hand (never cancelled or completed).
STAFF_ENROLMENT_STATUSES = (
    CourseSession.Status.DRAFT,
    CourseSession.Status.OPEN,
    CourseSession.Status.FULL,
    CourseSession.Status.CLOSED,
)


def _check_staff_may_enrol(session: CourseSession, now) -> None:
    """Raise SessionNotOpen when even staff may not enrol on ``session`` at ``now``."""
    if session.status not in STAFF_ENROLMENT_STATUSES:
        raise SessionNotOpen(_("This session is cancelled or completed: nobody can be enrolled on it."))
    starts_at = session.slots.order_by("starts_at").values_list("starts_at", flat=True).first()
    if starts_at is None:
        raise SessionNotOpen(_("This session has no half-day yet: add its dates first."))
    if starts_at <= now:
        raise SessionNotOpen(_("This session has already started."))


def _raise_capacity_by_hand(session: CourseSession, *, by, email_normalised: str, now) -> None:
    """Raise the capacity of ``session`` to hold one more confirmed trainee, and write it to the audit log."""
    old_capacity = session.capacity_seats
    session.capacity_seats = max(old_capacity, seats_taken(session) + 1)
    CourseSession.objects.filter(pk=session.pk).update(capacity_seats=session.capacity_seats, updated_at=now)
    invalidate_session(session.pk)
    record_event(
        "course_session.capacity_raised",
        obj=session,
        data={"from": old_capacity, "to": session.capacity_seats},
        person_email=email_normalised,
        summary="confirmed beyond capacity by hand; capacity %d -> %d" % (old_capacity, session.capacity_seats),
        actor=by,
    )


def enrol_by_staff(
    *,
    course_session: CourseSession,
    trainee: TraineeDetails,
    by,
    funding: str,
    funder_name: str = "",
    organisation_name: str = "",
    organisation_siret: str = "",
    contact: ContactDetails | None = None,
    language: str = "fr",
    beyond_capacity: bool = False,
) -> Enrolment:
    """Enrol one trainee by hand for a staff member ``by``; return the Enrolment.

    The public form's rules hold: one live enrolment per person and session (FC-02), seats
    counted under the session's row lock (FC-01), nobody passes people already waiting, a full
    session puts the trainee on its waiting list; the same e-mails are queued (contact, trainee,
    accessibility referent, staff). Unlike the public form, staff may enrol on an in-company,
    draft or closed session and after the enrolment deadline, never on a cancelled or completed
    session nor after it has started. The contact defaults to the trainee.

    ``beyond_capacity`` is staff's explicit choice to confirm the trainee although no seat is
    left: the session's capacity is then raised by one seat (so confirmed enrolments never exceed
    the capacity) and the choice is written to the audit log with the old and new capacity.

    Raises EnrolmentError (``SessionNotOpen``, ``AlreadyEnrolled``) with a user-facing message.
    """
    contact = contact or ContactDetails(first_name=trainee.first_name, last_name=trainee.last_name, email=trainee.email)
    email_normalised = normalise_email(trainee.email)
    try:
        with transaction.atomic():
            session = lock_session(course_session)
            now = timezone.now()
            _check_staff_may_enrol(session, now)
            raise_if_already_enrolled(session, [email_normalised])
            promote_locked(session, now)
            waiting = Enrolment.objects.filter(course_session=session, status=Enrolment.Status.WAITING).exists()
            plan = plan_seats(
                seats_left=free_seats(session),
                requested=1,
                overflow_policy=Booking.OverflowPolicy.WAITLIST_REST,
                queue_waiting=waiting,
            )
            confirmed = plan.confirmed == 1 or beyond_capacity
            if plan.confirmed == 0 and beyond_capacity:
                _raise_capacity_by_hand(session, by=by, email_normalised=email_normalised, now=now)
            booking = create_booking(
                session=session,
                contact=contact,
                now=now,
                funding=funding,
                funder_name=funder_name,
                organisation_name=organisation_name,
                organisation_siret=organisation_siret,
                overflow_policy=Booking.OverflowPolicy.WAITLIST_REST,
                language=language,
            )
            enrolment = create_enrolment(booking=booking, trainee=trainee, confirmed=confirmed, now=now)
            sync_full_status(session)
            audit(
                "enrolment.confirmed" if confirmed else "enrolment.waitlisted",
                enrolment,
                by=by,
                by_hand=True,
                beyond_capacity=bool(plan.confirmed == 0 and beyond_capacity),
            )
            emails.send_booking_received(booking, [enrolment])
            if confirmed:
                on_commit_send(enrolment_confirmed, enrolment)
    except IntegrityError as exc:
        if is_one_live_enrolment_violation(exc):
            raise AlreadyEnrolled(_("This person is already enrolled on this session."), emails=[]) from exc
        raise
    return enrolment
