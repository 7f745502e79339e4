"""The public enrolment form: plan the seats of a group, then enrol it."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy.core.text import normalise_email
from academy.scheduling.models import CourseSession

from .. import emails
from ..exceptions import (
    AlreadyEnrolled,
    AlreadySubmitted,
    DuplicateTrainee,
    EnrolmentError,
    NotEnoughSeats,
    SessionNotOpen,
)
from ..models import Booking, Enrolment
from ..signals import enrolment_confirmed
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


@dataclass(frozen=True)
class SeatPlan:
    """What an enrolment of ``requested`` people would do now: ``confirmed`` + ``waiting``."""

    seats_left: int
    requested: int
    confirmed: int
    waiting: int


def _closed_message(reason: str) -> str:
    """The message for a reason of ``CourseSession.enrolment_closed_reason()``."""
    return {
        "reserved": _("This session is reserved for one organisation."),
        "unpublished": _("This session's course is not published."),
        "status": _("This session does not take enrolments."),
        "started": _("This session has already started."),
        "deadline": _("The enrolment deadline of this session has passed."),
    }[reason]


def check_open(course_session: CourseSession, now: datetime.datetime) -> None:
    """Raise SessionNotOpen, saying why, when the public may not enrol on ``course_session`` at ``now``."""
    reason = course_session.enrolment_closed_reason(now)
    if reason:
        raise SessionNotOpen(_closed_message(reason))


def plan_seats(*, seats_left: int, requested: int, overflow_policy: str, queue_waiting: bool = False) -> SeatPlan:
    """Decide how many of ``requested`` trainees are confirmed and how many wait.

    ``queue_waiting`` is true when people already wait: newcomers then never pass them.
    Raises NotEnoughSeats when the group does not fit and ``overflow_policy`` is "refuse".
    """
    free = 0 if queue_waiting else max(seats_left, 0)
    if requested <= free:
        confirmed = requested
    elif overflow_policy == Booking.OverflowPolicy.WAITLIST_REST:
        confirmed = free
    elif overflow_policy == Booking.OverflowPolicy.ALL_OR_NOTHING:
        confirmed = 0
    else:
        raise NotEnoughSeats(
            ngettext(
                "Only %(seats)d seat is left for a group of %(count)d: nobody was enrolled, as you asked.",
                "Only %(seats)d seats are left for a group of %(count)d: nobody was enrolled, as you asked.",
                free,
            )
            % {"seats": free, "count": requested},
            seats_left=free,
            requested=requested,
        )
    return SeatPlan(seats_left=free, requested=requested, confirmed=confirmed, waiting=requested - confirmed)


def _normalised_emails(trainees: Sequence[TraineeDetails]) -> list[str]:
    """The trainees' normalised e-mails; raises EnrolmentError when empty, DuplicateTrainee on a repeat."""
    if not trainees:
        raise EnrolmentError(_("Give at least one trainee."))
    emails_normalised = [normalise_email(t.email) for t in trainees]
    repeated = sorted({e for e in emails_normalised if emails_normalised.count(e) > 1})
    if repeated:
        raise DuplicateTrainee(
            _("The same person appears twice in the form: %(emails)s.") % {"emails": ", ".join(repeated)},
            emails=repeated,
        )
    return emails_normalised


def _previous_submission(submission_key: uuid.UUID | None) -> None:
    """Raise AlreadySubmitted with the booking already made from this form, if any."""
    if submission_key and (previous := Booking.objects.filter(submission_key=submission_key).first()):
        raise AlreadySubmitted(_("This form was already sent: here is your enrolment."), booking=previous)


def _enrol_trainees(
    booking: Booking, trainees: Sequence[TraineeDetails], plan: SeatPlan, now: datetime.datetime
) -> list[Enrolment]:
    """Create the enrolments of ``booking`` in form order: the first ``plan.confirmed`` confirmed, the rest waiting."""
    enrolments = []
    for index, trainee in enumerate(trainees):
        confirmed = index < plan.confirmed
        enrolment = create_enrolment(booking=booking, trainee=trainee, confirmed=confirmed, now=now)
        audit(
            "enrolment.confirmed" if confirmed else "enrolment.waitlisted",
            enrolment,
            booking=booking.pk,
            funding=booking.funding,
        )
        enrolments.append(enrolment)
    return enrolments


def enrol(
    *,
    course_session: CourseSession,
    contact: ContactDetails,
    trainees: Sequence[TraineeDetails],
    funding: str,
    funder_name: str = "",
    organisation_name: str = "",
    organisation_siret: str = "",
    overflow_policy: str = Booking.OverflowPolicy.WAITLIST_REST,
    language: str = "fr",
    submission_key: uuid.UUID | None = None,
) -> Booking:
    """Enrol ``trainees`` on ``course_session`` for ``contact``; return the new Booking.

    Trainees are confirmed while seats are left (capacity minus confirmed and offered
    enrolments), the others go on the waiting list in form order, according to
    ``overflow_policy`` (see ``plan_seats``). Nobody passes people already waiting, except an
    "all or nothing" group that the free seats cannot hold whole.
    Queues the confirmation e-mails (contact, each trainee, accessibility referent, staff).

    Raises:
        DuplicateTrainee: the same e-mail twice in ``trainees``.
        AlreadySubmitted: a booking with ``submission_key`` exists (a resubmitted form).
        SessionNotOpen: the session does not take enrolments now.
        AlreadyEnrolled: a trainee already holds a live enrolment on this session (FC-02).
        NotEnoughSeats: the group does not fit and the policy is "refuse".
    """
    emails_normalised = _normalised_emails(trainees)
    try:
        with transaction.atomic():
            session = lock_session(course_session)
            now = timezone.now()  # taken under the lock: waiting-list order is the order of arrival
            _previous_submission(submission_key)
            check_open(session, now)
            raise_if_already_enrolled(session, emails_normalised)
            promote_locked(session, now)
            # After promotion, anyone still waiting while seats are free belongs to an "all or
            # nothing" group too large for them: newcomers may take those seats, as the group chose.
            plan = plan_seats(seats_left=free_seats(session), requested=len(trainees), overflow_policy=overflow_policy)
            booking = create_booking(
                session=session,
                contact=contact,
                now=now,
                funding=funding,
                funder_name=funder_name,
                organisation_name=organisation_name,
                organisation_siret=organisation_siret,
                overflow_policy=overflow_policy,
                language=language,
                submission_key=submission_key,
            )
            enrolments = _enrol_trainees(booking, trainees, plan, now)
            sync_full_status(session)
            emails.send_booking_received(booking, enrolments)
            for enrolment in enrolments:
                if enrolment.status == Enrolment.Status.CONFIRMED:
                    on_commit_send(enrolment_confirmed, enrolment)
    except IntegrityError as exc:
        # Two forms for the same person raced past the check: the database constraint decided.
        if is_one_live_enrolment_violation(exc):
            raise AlreadyEnrolled(_("One of these people is already enrolled on this session."), emails=[]) from exc
        if "submission_key" in str(exc):
            previous = Booking.objects.get(submission_key=submission_key)
            raise AlreadySubmitted(_("This form was already sent: here is your enrolment."), booking=previous) from exc
        raise
    return booking
