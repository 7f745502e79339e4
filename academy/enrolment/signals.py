"""Signals other apps listen to (evaluation sends positioning, attendance prepares sheets…).

Each is sent after the transaction that made the change commits, with ``sender=Enrolment`` and
``enrolment=<Enrolment>``.
"""

from django.dispatch import Signal

#: An enrolment became confirmed (directly, or by accepting a waiting-list offer).
enrolment_confirmed = Signal()
#: An enrolment was cancelled (by the trainee, the contact or staff).
enrolment_cancelled = Signal()
