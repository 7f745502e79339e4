"""The client contact's section of "my space": their organisation's trainees, hours and certificates.

Registered with ``academy.accounts.space`` when the app is ready. A contact sees only what their
own organisation booked, or sessions run for it (``enrolments_of_client_contact``); everyone else
gets no section. Attendance hours are the credited hours of the attendance evidence (both
signatures), the certificate link is the signed download link of the current certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.http import HttpRequest
from django.template.loader import render_to_string

from academy.accounts import access
from academy.attendance.services import session_attendance
from academy.enrolment.access import enrolments_of_client_contact
from academy.enrolment.models import Enrolment

from .models import Certificate
from .services import download_token

#: Most recent enrolments shown; older ones stay available from the training organisation.
MAX_ENROLMENTS = 300


@dataclass
class TraineeLine:
    """One trainee of the organisation on one session."""

    enrolment: Enrolment
    name: str
    hours: Decimal | None
    certificate_token: str


@dataclass
class SessionBlock:
    """One session of the organisation with its trainees."""

    course_session: object
    lines: list[TraineeLine]
    first_day: date | None = None
    last_day: date | None = None


def organisation_sessions(user) -> list[SessionBlock]:
    """Return the contact's sessions, newest first, each with the organisation's trainees only.

    Hours are shown for confirmed enrolments (others have none to count). Queries: a fixed number
    per session shown, at most ``MAX_ENROLMENTS`` enrolments.
    """
    enrolments = list(
        enrolments_of_client_contact(user)
        .select_related("course_session__course", "booking", "retained_name")
        .order_by("-course_session__pk", "last_name", "first_name", "pk")[:MAX_ENROLMENTS]
    )
    certificates = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(
            enrolment__in=[e.pk for e in enrolments], status=Certificate.Status.CURRENT
        ).exclude(pdf="")
    }
    blocks = []
    for _pk, group in groupby(enrolments, key=lambda e: e.course_session_id):
        group = list(group)
        course_session = group[0].course_session
        confirmed = [e for e in group if e.status == Enrolment.Status.CONFIRMED]
        hours, slots = {}, []
        if confirmed:
            slots, rows = session_attendance(course_session=course_session, enrolments=confirmed)
            hours = {row.enrolment.pk: row.hours for row in rows}
        lines = [
            TraineeLine(
                enrolment=e,
                name=e.full_name,
                hours=hours.get(e.pk),
                certificate_token=download_token(certificates[e.pk]) if e.pk in certificates else "",
            )
            for e in group
        ]
        blocks.append(
            SessionBlock(
                course_session=course_session,
                lines=lines,
                first_day=slots[0].local_start.date() if slots else None,
                last_day=slots[-1].local_start.date() if slots else None,
            )
        )
    return blocks


def client_contact_section(request: HttpRequest) -> str:
    """HTML of the contact's section of "my space", or "" for anyone who is not a client contact."""
    if not access.is_client_contact(request.user):
        return ""
    organisation = request.user.client_contact.client_organisation
    return render_to_string(
        "certification/client_space.html",
        {"organisation": organisation, "blocks": organisation_sessions(request.user)},
        request=request,
    )
