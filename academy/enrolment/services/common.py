"""Steps shared by the enrolment services: locking, seat counts, audit events, bookings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from academy.catalog.pagecache import invalidate_catalogue
from academy.core.audit import record_event
from academy.core.models import ClientOrganisation
from academy.scheduling.models import CourseSession

from ..exceptions import AlreadyEnrolled
from ..models import Booking, Enrolment
from ..seats import seats_taken
from ..signals import booking_created, session_status_switched


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
    trainee_category: str = ""
    work_context: str = ""
    expectations: str = ""


def offer_hours() -> int:
    """Hours a promoted waiting-list entry has to accept its seat (setting ``ENROLMENT_OFFER_HOURS``)."""
    return int(getattr(settings, "ENROLMENT_OFFER_HOURS", 48))


def audit(event: str, enrolment: Enrolment, *, by=None, **data) -> None:
    """Write the typed audit event ``event`` about ``enrolment`` (its session, status and ``data``)."""
    record_event(
        event,
        obj=enrolment,
        data={"course_session": enrolment.course_session_id, "status": enrolment.status, **data},
        person_email=enrolment.email,
        actor=by,
    )


def on_commit_send(signal, enrolment: Enrolment) -> None:
    """Send ``signal`` about ``enrolment`` once the current transaction commits."""
    transaction.on_commit(lambda: signal.send(sender=Enrolment, enrolment=enrolment))


def lock_session(course_session: CourseSession) -> CourseSession:
    """Return a fresh copy of the session, its row locked until the transaction ends."""
    return CourseSession.objects.select_for_update().get(pk=course_session.pk)


def lock_enrolment(enrolment: Enrolment) -> tuple[CourseSession, Enrolment]:
    """Lock the session of ``enrolment``, then the enrolment (in that order, as every service does).

    Returns fresh copies of both; the enrolment's ``course_session`` is the locked session.
    """
    session = lock_session(enrolment.course_session)
    current = Enrolment.objects.select_for_update().select_related("booking").get(pk=enrolment.pk)
    current.course_session = session
    return session, current


def free_seats(course_session: CourseSession) -> int:
    """Capacity minus the seats held now; negative when staff confirmed beyond an old capacity."""
    return course_session.capacity_seats - seats_taken(course_session)


def sync_full_status(course_session: CourseSession) -> None:
    """Switch an open session to "full" when no seat is left, and back when one frees up."""
    left = free_seats(course_session)
    new = None
    if course_session.status == CourseSession.Status.OPEN and left <= 0:
        new = CourseSession.Status.FULL
    elif course_session.status == CourseSession.Status.FULL and left > 0:
        new = CourseSession.Status.OPEN
    if new:
        previous, course_session.status = course_session.status, new
        CourseSession.objects.filter(pk=course_session.pk).update(status=new, updated_at=timezone.now())
        invalidate_catalogue()  # the listing's next-session dates follow open sessions
        session_status_switched.send(sender=CourseSession, course_session=course_session, previous=previous, status=new)


def raise_if_already_enrolled(session: CourseSession, emails_normalised: list[str]) -> None:
    """Raise AlreadyEnrolled naming those of ``emails_normalised`` with a live enrolment on ``session`` (FC-02)."""
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


def is_one_live_enrolment_violation(exc: Exception) -> bool:
    """True when a database error is the one-live-enrolment-per-person constraint (FC-02)."""
    return "enrolment_one_live_per_person_and_session" in str(exc) or "email_normalised" in str(exc)


def create_booking(
    *,
    session: CourseSession,
    contact: ContactDetails,
    now: datetime.datetime,
    funding: str,
    funder_name: str,
    organisation_name: str,
    organisation_siret: str,
    overflow_policy: str,
    language: str,
    submission_key=None,
) -> Booking:
    """Create the booking of ``contact`` on ``session`` (and its client organisation when named)."""
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
    booking_created.send(sender=Booking, booking=booking)
    return booking


def create_enrolment(
    *, booking: Booking, trainee: TraineeDetails, confirmed: bool, now: datetime.datetime
) -> Enrolment:
    """Create the enrolment of ``trainee`` in ``booking``: confirmed at ``now``, or waiting since ``now``."""
    enrolment = Enrolment(
        course_session=booking.course_session,
        booking=booking,
        first_name=trainee.first_name.strip(),
        last_name=trainee.last_name.strip(),
        email=trainee.email,
        job_title=trainee.job_title.strip(),
        accessibility_needs=trainee.accessibility_needs.strip(),
        trainee_category=trainee.trainee_category or "",
        work_context=trainee.work_context.strip(),
        expectations=trainee.expectations.strip(),
        status=Enrolment.Status.CONFIRMED if confirmed else Enrolment.Status.WAITING,
        confirmed_at=now if confirmed else None,
        waiting_since=None if confirmed else now,
    )
    enrolment.save()
    return enrolment
