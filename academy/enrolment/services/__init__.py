"""Enrolment rules: enrol a group, cancel, promote from the waiting list, accept an offered seat.

Every function that changes who holds a seat locks the session row first
(``SELECT … FOR UPDATE``), then counts and writes inside the same transaction. Two requests on
the same session therefore run one after the other, and confirmed + offered enrolments never
exceed ``capacity_seats`` whatever the concurrency (field case FC-01). One live enrolment per
(session, normalised e-mail) is a database constraint (FC-02).

Signals ``enrolment_confirmed`` / ``enrolment_cancelled`` are sent after the transaction commits.
E-mails are queued in the same transaction (``notify``) and delivered after commit. Every
change of an enrolment's status writes one typed audit event (``enrolment.confirmed``,
``enrolment.waitlisted``, ``enrolment.offered``, ``enrolment.cancelled``) in the same transaction;
the state change itself is a method of ``Enrolment`` (``offer``, ``confirm``, ``cancel``).

Modules by topic: ``booking`` (the public form), ``staff`` (enrolment by hand),
``waiting_list`` (offers), ``cancellation``, ``joining`` (joining instructions); ``common``
holds the steps they share. The public names are re-exported here.
"""

from __future__ import annotations

from .booking import SeatPlan, check_open, enrol, plan_seats
from .cancellation import cancel_course_session, cancel_enrolment, decline_offer
from .common import ContactDetails, TraineeDetails, offer_hours
from .joining import joining_instructions_days, send_due_joining_instructions
from .staff import STAFF_ENROLMENT_STATUSES, enrol_by_staff
from .waiting_list import accept_offer, expire_offers, promote_waiting_list

__all__ = [
    "STAFF_ENROLMENT_STATUSES",
    "ContactDetails",
    "SeatPlan",
    "TraineeDetails",
    "accept_offer",
    "cancel_course_session",
    "cancel_enrolment",
    "check_open",
    "decline_offer",
    "enrol",
    "enrol_by_staff",
    "expire_offers",
    "joining_instructions_days",
    "offer_hours",
    "plan_seats",
    "promote_waiting_list",
    "send_due_joining_instructions",
]
