"""Seat accounting: who holds a seat of a session, how many are left, how full it is.

Scheduling publishes a session's capacity and dates; which enrolments hold a seat is an
enrolment rule, kept here alone: confirmed enrolments, and waiting-list entries offered a seat
until their deadline (FC-01).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from academy.core.numbers import percentage

from .models import Enrolment

#: Enrolment statuses that hold a seat: confirmed, and offered to a waiting-list entry until its deadline.
SEAT_HOLDING_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.OFFERED)


def _count(statuses) -> Coalesce:
    """Subquery counting the enrolments of the outer session in ``statuses``.

    A subquery, not a join, so the count stays right when combined with ``with_dates()`` joins.
    """
    sub = (
        Enrolment.objects.filter(course_session=models.OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("course_session")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(sub, output_field=models.IntegerField()), 0)


def with_seat_counts(sessions: models.QuerySet) -> models.QuerySet:
    """Annotate sessions with their seat counts, in the same query.

    Adds ``seats_taken_count`` (confirmed + offered), ``seats_left_count`` (never negative),
    ``confirmed_count`` and ``waiting_count``; the functions below read them without a query.
    """
    sessions = sessions.annotate(
        seats_taken_count=_count(SEAT_HOLDING_STATUSES),
        confirmed_count=_count((Enrolment.Status.CONFIRMED,)),
        waiting_count=_count((Enrolment.Status.WAITING,)),
    )
    return sessions.annotate(seats_left_count=Greatest(models.F("capacity_seats") - models.F("seats_taken_count"), 0))


def seats_taken(course_session) -> int:
    """Seats of ``course_session`` held by confirmed enrolments and pending waiting-list offers.

    Uses the ``seats_taken_count`` annotation of ``with_seat_counts()`` when present.
    """
    annotated = course_session.__dict__.get("seats_taken_count")
    if annotated is not None:
        return annotated
    return Enrolment.objects.filter(course_session=course_session, status__in=SEAT_HOLDING_STATUSES).count()


def seats_left(course_session) -> int:
    """Seats of ``course_session`` still free (never negative)."""
    return max(course_session.capacity_seats - seats_taken(course_session), 0)


def fill_rate_pct(course_session) -> Decimal:
    """Share of the seats of ``course_session`` taken, in percent, rounded half-up to the unit."""
    capacity = course_session.capacity_seats
    return percentage(min(seats_taken(course_session), capacity), capacity) or Decimal(0)


def capacity_errors(course_session) -> dict[str, str]:
    """Why the capacity of a saved ``course_session`` is too low, as form errors (empty when it is not).

    Registered with scheduling at app start (see ``apps.py``) so the session form refuses a
    capacity below the seats already taken. Inside a transaction the session row is locked first,
    so no enrolment slips in between the check and the save.
    """
    if not course_session.pk or course_session.capacity_seats is None:
        return {}
    from django.db import connection

    if connection.in_atomic_block:
        type(course_session).objects.select_for_update().filter(pk=course_session.pk).exists()
    taken = Enrolment.objects.filter(course_session=course_session, status__in=SEAT_HOLDING_STATUSES).count()
    if course_session.capacity_seats < taken:
        return {
            "capacity_seats": _(
                "%(taken)d seats are already taken (confirmed or offered): the capacity cannot be lower."
            )
            % {"taken": taken}
        }
    return {}
