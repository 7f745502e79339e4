"""The waiting list: offer freed seats in order of arrival, accept an offer, let stale ones lapse."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.scheduling.models import CourseSession

from .. import emails
from ..exceptions import OfferExpired, OfferNotAvailable
from ..models import Booking, Enrolment
from ..signals import enrolment_confirmed
from .common import audit, free_seats, lock_enrolment, lock_session, offer_hours, on_commit_send, sync_full_status


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


def promote_locked(session: CourseSession, now: datetime.datetime) -> list[Enrolment]:
    """Offer every free seat to the first eligible waiting-list entries, in order of arrival.

    The caller holds the lock on ``session``. Ineligible entries met on the way are cancelled with
    the reason. Each promoted entry becomes "offered" until ``offer_expires_at`` (now plus
    ``offer_hours()``, never after the session starts) and is told by e-mail. A group whose
    contact chose "all or nothing" is offered seats only all together: while its waiting members
    do not all fit, it keeps its place and the next entries are offered the seats.
    """
    if session.status not in CourseSession.ENROLLING_STATUSES:
        return []
    starts_at = session.slots.order_by("starts_at").values_list("starts_at", flat=True).first()
    if starts_at is None or starts_at <= now:
        return []
    free = free_seats(session)
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
            candidate.cancel(now=now, reason=reason)
            audit("enrolment.cancelled", candidate, reason="no_longer_eligible")
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
            member.offer(now=now, expires_at=min(now + datetime.timedelta(hours=offer_hours()), starts_at))
            audit("enrolment.offered", member, offer_expires_at=member.offer_expires_at.isoformat())
            emails.send_seat_offered(member)
            promoted.append(member)
        free -= len(group)
    return promoted


def promote_waiting_list(*, course_session: CourseSession) -> list[Enrolment]:
    """Offer the free seats of ``course_session`` to its waiting list; return the promoted entries."""
    with transaction.atomic():
        session = lock_session(course_session)
        promoted = promote_locked(session, timezone.now())
        sync_full_status(session)
    return promoted


def accept_offer(*, enrolment: Enrolment) -> Enrolment:
    """Confirm the seat offered to a promoted waiting-list entry, before its deadline.

    Accepting twice returns the confirmed enrolment unchanged. Raises OfferExpired after the
    deadline, OfferNotAvailable when no seat is offered to this enrolment.
    """
    with transaction.atomic():
        session, current = lock_enrolment(enrolment)
        now = timezone.now()
        if current.status == Enrolment.Status.CONFIRMED:
            return current
        if current.status != Enrolment.Status.OFFERED:
            raise OfferNotAvailable(_("No seat is offered to this enrolment."))
        if current.offer_expires_at and current.offer_expires_at <= now:
            raise OfferExpired(_("The deadline to accept this seat has passed."))
        current.confirm(now=now)
        audit("enrolment.confirmed", current, accepted_offer=True)
        sync_full_status(session)
        emails.send_enrolment_confirmed(current)
        on_commit_send(enrolment_confirmed, current)
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
                enrolment.cancel(now=now, reason=reason)
                audit("enrolment.cancelled", enrolment, reason="session_started" if started else "offer_expired")
                cancelled += 1
            if not started:
                promote_locked(session, now)
            sync_full_status(session)
    return cancelled
