"""Queries on sessions used in more than one place (course page, catalogue, planning, feeds)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

#: Enrolment statuses that hold a seat: confirmed, and offered to a waiting-list entry until its deadline.
SEAT_HOLDING_STATUSES = ("confirmed", "offered")


class CourseSessionQuerySet(models.QuerySet):
    """Query helpers for ``CourseSession``."""

    def with_dates(self) -> CourseSessionQuerySet:
        """Annotate ``first_starts_at`` and ``last_ends_at`` (aware UTC) from the slots."""
        return self.annotate(first_starts_at=models.Min("slots__starts_at"), last_ends_at=models.Max("slots__ends_at"))

    def with_seat_counts(self) -> CourseSessionQuerySet:
        """Annotate ``seats_taken_count`` (confirmed + offered), ``confirmed_count`` and ``waiting_count``, in the same query.

        Counts use subqueries so they stay right when combined with ``with_dates()`` joins.
        """
        from django.db.models.functions import Coalesce

        enrolments = self.model._meta.get_field("enrolments").related_model

        def count(statuses):
            sub = (
                enrolments.objects.filter(course_session=models.OuterRef("pk"), status__in=statuses)
                .order_by()
                .values("course_session")
                .annotate(n=models.Count("pk"))
                .values("n")
            )
            return Coalesce(models.Subquery(sub, output_field=models.IntegerField()), 0)

        return self.annotate(
            seats_taken_count=count(SEAT_HOLDING_STATUSES),
            confirmed_count=count(("confirmed",)),
            waiting_count=count(("waiting",)),
        )

    def upcoming(self, now=None) -> CourseSessionQuerySet:
        """Sessions whose first slot starts after ``now`` (default: now), earliest first."""
        now = now or timezone.now()
        return self.with_dates().filter(first_starts_at__gt=now).order_by("first_starts_at", "pk")

    def open_for_enrolment(self, now=None) -> CourseSessionQuerySet:
        """Upcoming inter-company sessions taking enrolments (open, or full with a waiting list).

        The enrolment deadline is a local date: enrolment is possible until the end of that day in
        the organisation's timezone (the server's ``TIME_ZONE``).
        """
        now = now or timezone.now()
        today = timezone.localdate(now)
        return (
            self.upcoming(now)
            .filter(kind=self.model.Kind.INTER_COMPANY, status__in=[self.model.Status.OPEN, self.model.Status.FULL])
            .filter(models.Q(enrolment_deadline__isnull=True) | models.Q(enrolment_deadline__gte=today))
        )
