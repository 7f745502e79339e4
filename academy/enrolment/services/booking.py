"""Enrolment rules: enrol a group, cancel, promote from the waiting list, accept an offered seat.

Every function that changes who holds a seat locks the session row first
(``SELECT … FOR UPDATE``), then counts and writes inside the same transaction. Two requests on
the same session therefore run one after the other, and confirmed + offered enrolments never
exceed ``capacity_seats`` whatever the concurrency (field case FC-01). One live enrolment per
(session, normalised e-mail) is a database constraint (FC-02).

Signals ``enrolment_confirmed`` / ``enrolment_cancelled`` are sent after the transaction commits.
E-mails are queued in the same transaction (``notify``) and delivered after commit. Every
change of an enrolment's status writes one typed audit event (``enrolment.confirmed``,
``enrolment.waitlisted``, ``enrolment.offered``, ``enrolment.cancelled``) in the same transaction.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy.core.audit import record_event
from academy.core.models import ClientOrganisation
from academy.core.text import normalise_email
from academy.scheduling.models import CourseSession

from . import emails
from .exceptions import (
    AlreadyCancelled,
    AlreadyEnrolled,
    AlreadySubmitted,
    DuplicateTrainee,
    EnrolmentError,
    NotEnoughSeats,
    OfferExpired,
    OfferNotAvailable,
    SessionNotOpen,
)
from .models import Booking, Enrolment
from .signals import enrolment_cancelled, enrolment_confirmed

SEAT_HOLDING = (Enrolment.Status.CONFIRMED, Enrolment.Status.OFFERED)


@dataclass(frozen=True)
class ContactDetails:
    """The person filling in the form (for themself or as a company contact)."""

    first_name: str
    last_name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class TraineeDetails:
    """One trainee of a booking. ``accessibility_needs`` is shown to staff only."""

    first_name: str
    last_name: str
    email: str
    job_title: str = ""
    accessibility_needs: str = ""


@dataclass(frozen=True)
class SeatPlan:
    """What an enrolment of ``requested`` people would do now: ``confirmed`` + ``waiting``."""

    seats_left: int
    requested: int
    confirmed: int
    waiting: int


def offer_hours() -> int:
    """Hours a promoted waiting-list entry has to accept its seat (setting ``ENROLMENT_OFFER_HOURS``)."""
    return int(getattr(settings, "ENROLMENT_OFFER_HOURS", 48))


def _audit(event: str, enrolment: Enrolment, *, by=None, **data) -> None:
    """Write the typed audit event ``event`` about ``enrolment`` (its session, status and ``data``)."""
    record_event(
        event,
        obj=enrolment,
        data={"course_session": enrolment.course_session_id, "status": enrolment.status, **data},
        person_email=enrolment.email,
        actor=by,
    )


def _on_commit_send(signal, enrolment: Enrolment) -> None:
    transaction.on_commit(lambda: signal.send(sender=Enrolment, enrolment=enrolment))


def _lock_session(course_session: CourseSession) -> CourseSession:
    """Return a fresh copy of the session, its row locked until the transaction ends."""
    return CourseSession.objects.select_for_update().get(pk=course_session.pk)


def _seats_taken(course_session: CourseSession) -> int:
    return Enrolment.objects.filter(course_session=course_session, status__in=SEAT_HOLDING).count()


def _sync_full_status(course_session: CourseSession) -> None:
    """Switch an open session to "full" when no seat is left, and back when one frees up."""
    left = course_session.capacity_seats - _seats_taken(course_session)
    new = None
    if course_session.status == CourseSession.Status.OPEN and left <= 0:
        new = CourseSession.Status.FULL
    elif course_session.status == CourseSession.Status.FULL and left > 0:
        new = CourseSession.Status.OPEN
    if new:
        course_session.status = new
        CourseSession.objects.filter(pk=course_session.pk).update(status=new, updated_at=timezone.now())


def _check_open(course_session: CourseSession, now: datetime.datetime) -> None:
    if course_session.kind != CourseSession.Kind.INTER_COMPANY:
        raise SessionNotOpen(_("This session is reserved for one organisation."))
    if course_session.status not in (CourseSession.Status.OPEN, CourseSession.Status.FULL):
        raise SessionNotOpen(_("This session does not take enrolments."))
    starts_at = course_session.slots.order_by("starts_at").values_list("starts_at", flat=True).first()
    if starts_at is None or starts_at <= now:
        raise SessionNotOpen(_("This session has already started."))
    deadline = course_session.enrolment_deadline
    if deadline and timezone.localdate(now, course_session.tzinfo) > deadline:
        raise SessionNotOpen(_("The enrolment deadline of this session has passed."))


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
    if not trainees:
        raise EnrolmentError(_("Give at least one trainee."))
    emails_normalised = [normalise_email(t.email) for t in trainees]
    repeated = sorted({e for e in emails_normalised if emails_normalised.count(e) > 1})
    if repeated:
        raise DuplicateTrainee(
            _("The same person appears twice in the form: %(emails)s.") % {"emails": ", ".join(repeated)},
            emails=repeated,
        )
    try:
        with transaction.atomic():
            session = _lock_session(course_session)
            now = timezone.now()  # taken under the lock: waiting-list order is the order of arrival
            if submission_key and (previous := Booking.objects.filter(submission_key=submission_key).first()):
                raise AlreadySubmitted(_("This form was already sent: here is your enrolment."), booking=previous)
            _check_open(session, now)
            _raise_if_already_enrolled(session, emails_normalised)
            _promote_locked(session, now)
            # After promotion, anyone still waiting while seats are free belongs to an "all or
            # nothing" group too large for them: newcomers may take those seats, as the group chose.
            plan = plan_seats(
                seats_left=session.capacity_seats - _seats_taken(session),
                requested=len(trainees),
                overflow_policy=overflow_policy,
            )
            organisation = None
            if organisation_name.strip():
                organisation = ClientOrganisation.objects.create(
                    name=organisation_name.strip(), siret="".join(organisation_siret.split())
                )
            booking = Booking.objects.create(
                course_session=session,
                client_organisation=organisation,
                contact_first_name=contact.first_name.strip(),
                contact_last_name=contact.last_name.strip(),
                contact_email=contact.email.strip(),
                contact_phone=contact.phone.strip(),
                funding=funding,
                funder_name=funder_name.strip(),
                overflow_policy=overflow_policy,
                terms_accepted_at=now,
                language=language,
                submission_key=submission_key,
            )
            enrolments = []
            for index, trainee in enumerate(trainees):
                confirmed = index < plan.confirmed
                enrolment = Enrolment(
                    course_session=session,
                    booking=booking,
                    first_name=trainee.first_name.strip(),
                    last_name=trainee.last_name.strip(),
                    email=trainee.email,
                    job_title=trainee.job_title.strip(),
                    accessibility_needs=trainee.accessibility_needs.strip(),
                    status=Enrolment.Status.CONFIRMED if confirmed else Enrolment.Status.WAITING,
                    confirmed_at=now if confirmed else None,
                    waiting_since=None if confirmed else now,
                )
                enrolment.save()
                _audit(
                    "enrolment.confirmed" if confirmed else "enrolment.waitlisted",
                    enrolment,
                    booking=booking.pk,
                    funding=funding,
                )
                enrolments.append(enrolment)
            _sync_full_status(session)
            emails.send_booking_received(booking, enrolments)
            for enrolment in enrolments:
                if enrolment.status == Enrolment.Status.CONFIRMED:
                    _on_commit_send(enrolment_confirmed, enrolment)
    except IntegrityError as exc:
        # Two forms for the same person raced past the check: the database constraint decided.
        if "enrolment_one_live_per_person_and_session" in str(exc) or "email_normalised" in str(exc):
            raise AlreadyEnrolled(_("One of these people is already enrolled on this session."), emails=[]) from exc
        if "submission_key" in str(exc):
            previous = Booking.objects.get(submission_key=submission_key)
            raise AlreadySubmitted(_("This form was already sent: here is your enrolment."), booking=previous) from exc
        raise
    return booking


#: Session statuses on which staff may still enrol someone by hand (never cancelled or completed).
STAFF_ENROLMENT_STATUSES = (
    CourseSession.Status.DRAFT,
    CourseSession.Status.OPEN,
    CourseSession.Status.FULL,
    CourseSession.Status.CLOSED,
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
            session = _lock_session(course_session)
            now = timezone.now()
            if session.status not in STAFF_ENROLMENT_STATUSES:
                raise SessionNotOpen(_("This session is cancelled or completed: nobody can be enrolled on it."))
            starts_at = session.slots.order_by("starts_at").values_list("starts_at", flat=True).first()
            if starts_at is None:
                raise SessionNotOpen(_("This session has no half-day yet: add its dates first."))
            if starts_at <= now:
                raise SessionNotOpen(_("This session has already started."))
            _raise_if_already_enrolled(session, [email_normalised])
            _promote_locked(session, now)
            waiting = Enrolment.objects.filter(course_session=session, status=Enrolment.Status.WAITING).exists()
            plan = plan_seats(
                seats_left=session.capacity_seats - _seats_taken(session),
                requested=1,
                overflow_policy=Booking.OverflowPolicy.WAITLIST_REST,
                queue_waiting=waiting,
            )
            confirmed = plan.confirmed == 1 or beyond_capacity
            if plan.confirmed == 0 and beyond_capacity:
                old_capacity = session.capacity_seats
                session.capacity_seats = max(old_capacity, _seats_taken(session) + 1)
                CourseSession.objects.filter(pk=session.pk).update(
                    capacity_seats=session.capacity_seats, updated_at=now
                )
                record_event(
                    "course_session.capacity_raised",
                    obj=session,
                    data={"from": old_capacity, "to": session.capacity_seats},
                    person_email=email_normalised,
                    summary="confirmed beyond capacity by hand; capacity %d -> %d"
                    % (old_capacity, session.capacity_seats),
                    actor=by,
                )
            organisation = None
            if organisation_name.strip():
                organisation = ClientOrganisation.objects.create(
                    name=organisation_name.strip(), siret="".join(organisation_siret.split())
                )
            booking = Booking.objects.create(
                course_session=session,
                client_organisation=organisation,
                contact_first_name=contact.first_name.strip(),
                contact_last_name=contact.last_name.strip(),
                contact_email=contact.email.strip(),
                contact_phone=contact.phone.strip(),
                funding=funding,
                funder_name=funder_name.strip(),
                overflow_policy=Booking.OverflowPolicy.WAITLIST_REST,
                terms_accepted_at=now,
                language=language,
            )
            enrolment = Enrolment(
                course_session=session,
                booking=booking,
                first_name=trainee.first_name.strip(),
                last_name=trainee.last_name.strip(),
                email=trainee.email,
                job_title=trainee.job_title.strip(),
                accessibility_needs=trainee.accessibility_needs.strip(),
                status=Enrolment.Status.CONFIRMED if confirmed else Enrolment.Status.WAITING,
                confirmed_at=now if confirmed else None,
                waiting_since=None if confirmed else now,
            )
            enrolment.save()
            _sync_full_status(session)
            _audit(
                "enrolment.confirmed" if confirmed else "enrolment.waitlisted",
                enrolment,
                by=by,
                by_hand=True,
                beyond_capacity=bool(plan.confirmed == 0 and beyond_capacity),
            )
            emails.send_booking_received(booking, [enrolment])
            if confirmed:
                _on_commit_send(enrolment_confirmed, enrolment)
    except IntegrityError as exc:
        if "enrolment_one_live_per_person_and_session" in str(exc) or "email_normalised" in str(exc):
            raise AlreadyEnrolled(_("This person is already enrolled on this session."), emails=[]) from exc
        raise
    return enrolment


def _raise_if_already_enrolled(session: CourseSession, emails_normalised: list[str]) -> None:
    existing = sorted(
        Enrolment.objects.filter(course_session=session, email_normalised__in=emails_normalised)
        .exclude(status=Enrolment.Status.CANCELLED)
        .values_list("email_normalised", flat=True)
    )
    if existing:
        raise AlreadyEnrolled(
            ngettext(
                "%(emails)s is already enrolled on this session (or on its waiting list); nothing was changed.",
                "%(emails)s are already enrolled on this session (or on its waiting list); nothing was changed.",
                len(existing),
            )
            % {"emails": ", ".join(existing)},
            emails=existing,
        )


def _ineligibility_reason(enrolment: Enrolment, now: datetime.datetime) -> str | None:
    """Why a waiting-list entry can no longer be offered a seat, or None when it can.

    An entry is skipped when the same person is already confirmed on another upcoming session of
    the same course: they no longer need this seat.
    """
    elsewhere = (
        Enrolment.objects.filter(
            email_normalised=enrolment.email_normalised,
            course_session__course_id=enrolment.course_session.course_id,
            status=Enrolment.Status.CONFIRMED,
            course_session__slots__starts_at__gt=now,
        )
        .exclude(course_session_id=enrolment.course_session_id)
        .exists()
    )
    if elsewhere:
        return _("No longer eligible: already confirmed on another session of this course.")
    return None


def _promote_locked(session: CourseSession, now: datetime.datetime) -> list[Enrolment]:
    """Offer every free seat to the first eligible waiting-list entries, in order of arrival.

    The caller holds the lock on ``session``. Ineligible entries met on the way are cancelled with
    the reason. Each promoted entry becomes "offered" until ``offer_expires_at`` (now plus
    ``offer_hours()``, never after the session starts) and is told by e-mail. A group whose
    contact chose "all or nothing" is offered seats only all together: while its waiting members
    do not all fit, it keeps its place and the next entries are offered the seats.
    """
    if session.status not in (CourseSession.Status.OPEN, CourseSession.Status.FULL):
        return []
    starts_at = session.slots.order_by("starts_at").values_list("starts_at", flat=True).first()
    if starts_at is None or starts_at <= now:
        return []
    free = session.capacity_seats - _seats_taken(session)
    promoted: list[Enrolment] = []
    skipped_bookings: set[int] = set()
    while free > 0:
        candidate = (
            Enrolment.objects.select_for_update()
            .filter(course_session=session, status=Enrolment.Status.WAITING)
            .exclude(booking_id__in=skipped_bookings)
            .select_related("booking")
            .order_by("waiting_since", "pk")
            .first()
        )
        if candidate is None:
            break
        candidate.course_session = session
        reason = _ineligibility_reason(candidate, now)
        if reason:
            candidate.status = Enrolment.Status.CANCELLED
            candidate.cancelled_at = now
            candidate.cancellation_reason = reason
            candidate.save(update_fields=["status", "cancelled_at", "cancellation_reason", "updated_at"])
            _audit("enrolment.cancelled", candidate, reason="no_longer_eligible")
            continue
        group = [candidate]
        if candidate.booking.overflow_policy == Booking.OverflowPolicy.ALL_OR_NOTHING:
            group = list(
                Enrolment.objects.select_for_update()
                .filter(booking_id=candidate.booking_id, status=Enrolment.Status.WAITING)
                .order_by("waiting_since", "pk")
            )
            if len(group) > free:
                skipped_bookings.add(candidate.booking_id)
                continue
        for member in group:
            member.course_session = session
            member.status = Enrolment.Status.OFFERED
            member.offer_expires_at = min(now + datetime.timedelta(hours=offer_hours()), starts_at)
            member.save(update_fields=["status", "offer_expires_at", "updated_at"])
            _audit("enrolment.offered", member, offer_expires_at=member.offer_expires_at.isoformat())
            emails.send_seat_offered(member)
            promoted.append(member)
        free -= len(group)
    return promoted


def promote_waiting_list(*, course_session: CourseSession) -> list[Enrolment]:
    """Offer the free seats of ``course_session`` to its waiting list; return the promoted entries."""
    with transaction.atomic():
        session = _lock_session(course_session)
        promoted = _promote_locked(session, timezone.now())
        _sync_full_status(session)
    return promoted


def cancel_enrolment(*, enrolment: Enrolment, by=None, reason: str = "") -> Enrolment:
    """Cancel ``enrolment`` and offer the freed seat to the first eligible waiting-list entry.

    ``by`` is the staff user cancelling, or None when the trainee or the contact cancels through
    their signed link. A cancelled enrolment no longer counts: exactly one seat is freed when it
    held one. Queues the cancellation e-mails and a staff notification; writes the audit log.

    Raises AlreadyCancelled if it was cancelled before, EnrolmentError if the session has started.
    """
    with transaction.atomic():
        session = _lock_session(enrolment.course_session)
        now = timezone.now()
        current = Enrolment.objects.select_for_update().select_related("booking").get(pk=enrolment.pk)
        current.course_session = session
        if current.status == Enrolment.Status.CANCELLED:
            raise AlreadyCancelled(_("This enrolment was already cancelled."))
        if session.has_started(now):
            raise EnrolmentError(_("The session has already started: contact us to cancel."))
        held_seat = current.holds_seat
        current.status = Enrolment.Status.CANCELLED
        current.cancelled_at = now
        current.cancellation_reason = reason.strip()
        current.offer_expires_at = None
        current.save(update_fields=["status", "cancelled_at", "cancellation_reason", "offer_expires_at", "updated_at"])
        if held_seat:
            _promote_locked(session, now)
        _sync_full_status(session)
        emails.send_enrolment_cancelled(current, by_staff=by is not None)
        _audit(
            "enrolment.cancelled",
            current,
            by=by,
            reason="staff" if by is not None else "trainee_or_contact",
            held_seat=held_seat,
        )
        _on_commit_send(enrolment_cancelled, current)
    enrolment.refresh_from_db()
    return current


def cancel_course_session(*, course_session: CourseSession, by=None, reason: str) -> int:
    """Cancel a whole session: its status becomes "cancelled" and every live enrolment is cancelled.

    Each trainee and contact is told by e-mail with ``reason``; the audit log records who did it.
    Returns how many enrolments were cancelled. Raises EnrolmentError when the session has started.
    """
    with transaction.atomic():
        session = _lock_session(course_session)
        now = timezone.now()
        if session.has_started(now):
            raise EnrolmentError(_("The session has already started: it cannot be cancelled."))
        session.status = CourseSession.Status.CANCELLED
        CourseSession.objects.filter(pk=session.pk).update(status=session.status, updated_at=now)
        live = list(
            Enrolment.objects.select_for_update()
            .select_related("booking")
            .filter(course_session=session)
            .exclude(status=Enrolment.Status.CANCELLED)
        )
        for enrolment in live:
            enrolment.course_session = session
            enrolment.status = Enrolment.Status.CANCELLED
            enrolment.cancelled_at = now
            enrolment.cancellation_reason = reason.strip()
            enrolment.offer_expires_at = None
            enrolment.save(
                update_fields=["status", "cancelled_at", "cancellation_reason", "offer_expires_at", "updated_at"]
            )
            _audit("enrolment.cancelled", enrolment, by=by, reason="session_cancelled")
            emails.send_enrolment_cancelled(enrolment, by_staff=True)
            _on_commit_send(enrolment_cancelled, enrolment)
        record_event(
            "course_session.cancelled",
            obj=session,
            data={"enrolments_cancelled": len(live)},
            summary="session cancelled: %s" % reason.strip()[:400],
            actor=by,
        )
    return len(live)


def accept_offer(*, enrolment: Enrolment) -> Enrolment:
    """Confirm the seat offered to a promoted waiting-list entry, before its deadline.

    Accepting twice returns the confirmed enrolment unchanged. Raises OfferExpired after the
    deadline, OfferNotAvailable when no seat is offered to this enrolment.
    """
    with transaction.atomic():
        session = _lock_session(enrolment.course_session)
        now = timezone.now()
        current = Enrolment.objects.select_for_update().select_related("booking").get(pk=enrolment.pk)
        current.course_session = session
        if current.status == Enrolment.Status.CONFIRMED:
            return current
        if current.status != Enrolment.Status.OFFERED:
            raise OfferNotAvailable(_("No seat is offered to this enrolment."))
        if current.offer_expires_at and current.offer_expires_at <= now:
            raise OfferExpired(_("The deadline to accept this seat has passed."))
        current.status = Enrolment.Status.CONFIRMED
        current.confirmed_at = now
        current.offer_expires_at = None
        current.save(update_fields=["status", "confirmed_at", "offer_expires_at", "updated_at"])
        _audit("enrolment.confirmed", current, accepted_offer=True)
        _sync_full_status(session)
        emails.send_enrolment_confirmed(current)
        _on_commit_send(enrolment_confirmed, current)
    return current


def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """Cancel offers past their deadline and waiting entries of started sessions; promote the next.

    Idempotent: run by the periodic job, it may run late or twice. Returns how many entries were
    cancelled.
    """
    now = now or timezone.now()
    session_ids = set(
        Enrolment.objects.filter(status=Enrolment.Status.OFFERED, offer_expires_at__lte=now).values_list(
            "course_session_id", flat=True
        )
    )
    session_ids |= set(
        Enrolment.objects.filter(
            status__in=[Enrolment.Status.WAITING, Enrolment.Status.OFFERED], course_session__slots__starts_at__lte=now
        ).values_list("course_session_id", flat=True)
    )
    cancelled = 0
    for session_id in sorted(session_ids):
        with transaction.atomic():
            session = CourseSession.objects.select_for_update().get(pk=session_id)
            started = session.has_started(now)
            stale = Enrolment.objects.select_for_update().filter(course_session=session)
            if started:
                stale = stale.filter(status__in=[Enrolment.Status.WAITING, Enrolment.Status.OFFERED])
                reason = _("The session started before a seat could be offered.")
            else:
                stale = stale.filter(status=Enrolment.Status.OFFERED, offer_expires_at__lte=now)
                reason = _("The seat offered was not accepted before the deadline.")
            for enrolment in stale:
                enrolment.course_session = session
                enrolment.status = Enrolment.Status.CANCELLED
                enrolment.cancelled_at = now
                enrolment.cancellation_reason = str(reason)
                enrolment.offer_expires_at = None
                enrolment.save(
                    update_fields=["status", "cancelled_at", "cancellation_reason", "offer_expires_at", "updated_at"]
                )
                _audit("enrolment.cancelled", enrolment, reason="session_started" if started else "offer_expired")
                cancelled += 1
            if not started:
                _promote_locked(session, now)
            _sync_full_status(session)
    return cancelled


def joining_instructions_days() -> int:
    """Days before the first slot when joining instructions are sent (``ENROLMENT_JOINING_INSTRUCTIONS_DAYS``)."""
    return int(getattr(settings, "ENROLMENT_JOINING_INSTRUCTIONS_DAYS", 7))


def send_due_joining_instructions(*, now: datetime.datetime | None = None) -> int:
    """Send the joining instructions (convocation) of sessions starting within N days; return how many.

    Each confirmed enrolment is claimed with a conditional update before its e-mail is queued in
    the same transaction, so it is sent once even when two workers run the job together.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=joining_instructions_days())
    sessions = (
        CourseSession.objects.with_dates()
        .filter(first_starts_at__gt=now, first_starts_at__lte=horizon)
        .exclude(status__in=[CourseSession.Status.DRAFT, CourseSession.Status.CANCELLED])
    )
    candidates = (
        Enrolment.objects.filter(
            course_session__in=sessions.values("pk"),
            status=Enrolment.Status.CONFIRMED,
            joining_instructions_sent_at__isnull=True,
        )
        .select_related("booking", "course_session__course")
        .order_by("pk")
    )
    sent = 0
    for enrolment in candidates:
        with transaction.atomic():
            claimed = Enrolment.objects.filter(
                pk=enrolment.pk, status=Enrolment.Status.CONFIRMED, joining_instructions_sent_at__isnull=True
            ).update(joining_instructions_sent_at=now)
            if not claimed:
                continue
            _audit("enrolment.joining_instructions_sent", enrolment)
            emails.send_joining_instructions(enrolment)
            sent += 1
    return sent
