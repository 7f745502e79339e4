"""Cancelling: one enrolment (by its trainee, its contact or staff), or a whole session."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.catalog.pagecache import invalidate_catalogue
from academy.core.audit import record_event
from academy.scheduling.models import CourseSession

from .. import emails
from ..exceptions import AlreadyCancelled, EnrolmentError, OfferNotAvailable
from ..models import Enrolment
from ..signals import enrolment_cancelled
from .common import audit, lock_enrolment, lock_session, on_commit_send, sync_full_status
from .waiting_list import promote_locked


def cancel_enrolment(*, enrolment: Enrolment, by=None, reason: str = "") -> Enrolment:
    """Cancel ``enrolment`` and offer the freed seat to the first eligible waiting-list entry.

    ``by`` is the staff user cancelling, or None when the trainee or the contact cancels through
    their signed link. A cancelled enrolment no longer counts: exactly one seat is freed when it
    held one. Queues the cancellation e-mails and a staff notification; writes the audit log.

    Raises AlreadyCancelled if it was cancelled before, EnrolmentError if the session has started.
    """
    with transaction.atomic():
        session, current = lock_enrolment(enrolment)
        now = timezone.now()
        if current.status == Enrolment.Status.CANCELLED:
            raise AlreadyCancelled(_("This enrolment was already cancelled."))
        if session.has_started(now):
            raise EnrolmentError(_("The session has already started: contact us to cancel."))
        held_seat = current.holds_seat
        current.cancel(now=now, reason=reason)
        if held_seat:
            promote_locked(session, now)
        sync_full_status(session)
        emails.send_enrolment_cancelled(current, by_staff=by is not None)
        audit(
            "enrolment.cancelled",
            current,
            by=by,
            reason="staff" if by is not None else "trainee_or_contact",
            held_seat=held_seat,
        )
        on_commit_send(enrolment_cancelled, current)
    enrolment.refresh_from_db()
    return current


def cancel_course_session(*, course_session: CourseSession, by=None, reason: str) -> int:
    """Cancel a whole session: its status becomes "cancelled" and every live enrolment is cancelled.

    Each trainee and contact is told by e-mail with ``reason``; the audit log records who did it.
    Returns how many enrolments were cancelled. Raises EnrolmentError when the session has started.
    """
    with transaction.atomic():
        session = lock_session(course_session)
        now = timezone.now()
        if session.has_started(now):
            raise EnrolmentError(_("The session has already started: it cannot be cancelled."))
        session.status = CourseSession.Status.CANCELLED
        CourseSession.objects.filter(pk=session.pk).update(status=session.status, updated_at=now)
        invalidate_catalogue()
        live = list(
            Enrolment.objects.select_for_update()
            .select_related("booking")
            .filter(course_session=session)
            .exclude(status=Enrolment.Status.CANCELLED)
        )
        for enrolment in live:
            enrolment.course_session = session
            enrolment.cancel(now=now, reason=reason)
            audit("enrolment.cancelled", enrolment, by=by, reason="session_cancelled")
            emails.send_enrolment_cancelled(enrolment, by_staff=True)
            on_commit_send(enrolment_cancelled, enrolment)
        record_event(
            "course_session.cancelled",
            obj=session,
            data={"enrolments_cancelled": len(live)},
            summary="session cancelled: %s" % reason.strip()[:400],
            actor=by,
        )
    return len(live)


def decline_offer(*, enrolment: Enrolment) -> Enrolment:
    """Decline the seat offered to a waiting-list entry: cancel it and offer the seat to the next.

    Only an open offer can be declined. Raises OfferNotAvailable once the offer was accepted (the
    enrolment is confirmed: only the cancellation link cancels it), or when no seat is offered any
    more (expired, cancelled, never offered).
    """
    with transaction.atomic():
        lock_session(enrolment.course_session)
        current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if current.status == Enrolment.Status.CONFIRMED:
            raise OfferNotAvailable(
                _(
                    "You have already accepted this seat: to cancel your enrolment, use the cancellation link "
                    "sent with your confirmation."
                )
            )
        if current.status != Enrolment.Status.OFFERED:
            raise OfferNotAvailable(_("No seat is offered to this enrolment."))
        return cancel_enrolment(enrolment=current, by=None, reason=_("Offered seat declined."))
