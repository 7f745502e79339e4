"""Joining instructions (convocation), sent a few days before a session starts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from academy.scheduling.models import CourseSession

from .. import emails
from ..models import NOT_ERASED, Enrolment
from .common import audit


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
            NOT_ERASED,
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
            audit("enrolment.joining_instructions_sent", enrolment)
            emails.send_joining_instructions(enrolment)
            sent += 1
    return sent
