"""The trainee's section of "my space": their own enrolments, with their certificates once issued.

Registered with ``academy.accounts.space`` when the app is ready. A trainee account sees only the
enrolments made with its own e-mail address (``enrolments_of_trainee``); everyone else gets no
section. The certificate link is the signed download link of the current certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from academy.accounts import access
from academy.enrolment.access import enrolments_of_trainee
from academy.enrolment.models import Enrolment
from academy.scheduling.models import SessionSlot

from .models import Certificate
from .services import download_token

#: Most recent enrolments shown.
MAX_ENROLMENTS = 200


@dataclass
class TraineeEnrolment:
    """One of the trainee's enrolments as "my space" shows it."""

    enrolment: Enrolment
    first_day: date | None
    last_day: date | None
    certificate_token: str


def trainee_enrolments(user) -> list[TraineeEnrolment]:
    """The trainee's own enrolments, newest session first, with first and last local day and certificate.

    A fixed number of queries whatever the number of enrolments (at most ``MAX_ENROLMENTS``).
    """
    enrolments = list(
        enrolments_of_trainee(user)
        .select_related("course_session__course")
        .prefetch_related(Prefetch("course_session__slots", queryset=SessionSlot.objects.order_by("starts_at")))
        .order_by("-course_session__pk", "pk")[:MAX_ENROLMENTS]
    )
    certificates = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(
            enrolment__in=[e.pk for e in enrolments], status=Certificate.Status.CURRENT
        ).exclude(pdf="")
    }
    rows = []
    for enrolment in enrolments:
        slots = enrolment.course_session.ordered_slots()
        rows.append(
            TraineeEnrolment(
                enrolment=enrolment,
                first_day=slots[0].local_start.date() if slots else None,
                last_day=slots[-1].local_start.date() if slots else None,
                certificate_token=download_token(certificates[enrolment.pk]) if enrolment.pk in certificates else "",
            )
        )
    return rows


def trainee_section(request: HttpRequest) -> str:
    """HTML of the trainee's section of "my space", or "" for anyone who is not a trainee."""
    if not access.is_trainee(request.user):
        return ""
    return render_to_string(
        "certification/trainee_space.html", {"rows": trainee_enrolments(request.user)}, request=request
    )
