"""Signals other apps listen to (evaluation sends positioning, attendance prepares sheets…).

The enrolment signals are sent after the transaction that made the change commits, with
``sender=Enrolment`` and ``enrolment=<Enrolment>``. ``booking_created`` is the exception: see there.
"""

from django.dispatch import Signal

#: An enrolment became confirmed (directly, or by accepting a waiting-list offer).
enrolment_confirmed = Signal()
#: An enrolment was cancelled (by the trainee, the contact or staff).
enrolment_cancelled = Signal()

#: A booking was just created (public form or staff), with ``sender=Booking`` and ``booking=<Booking>``.
#: Sent *inside* the transaction that creates it, so what receivers record with the booking (such
#: as the versions of the terms the contact accepted) commits or rolls back with it.
booking_created = Signal()

#: Seats taken switched an open session to "full" or a full one back to "open", with
#: ``sender=CourseSession``, ``course_session``, ``previous`` and ``status``. Sent *inside* the
#: transaction that took or freed the seat (the switch is a queryset update, so ``post_save`` is not
#: sent), so what receivers record commits or rolls back with it.
session_status_switched = Signal()
