"""Feedback from the other stakeholders of a session: the client organisation and the trainers.

Qualiopi indicator 30 asks for the appreciations of every stakeholder, not only the trainees.
Both questionnaires go through the same engine as the trainees' (``Questionnaire``, ``Question``,
``Response``, ``clean_answers``): one response per (session, kind, respondent), held by a
database constraint, where ``respondent`` is ``"organisation:<id>"`` or ``"trainer:<id>"``. The
link sent is a signed token naming the session, the kind and the respondent; no account needed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.core.notifications import notify
from academy.core.tokens import InvalidToken, make_token, read_token
from academy.enrolment.models import Booking
from academy.scheduling.models import CourseSession

from .exceptions import NotEligible
from .models import STAKEHOLDER_KINDS, QuestionnaireKind, Response
from .services import clean_answers, current_questionnaire, session_bounds
from .services.responses import save_answers

Kind = QuestionnaireKind
TOKEN_PURPOSE = "evaluation-stakeholder"
LINK_MAX_AGE = datetime.timedelta(days=120)

EMAIL_EVENTS = {
    "evaluation.stakeholder_invitation": gettext_lazy(
        "To a client contact or a trainer: the link to the session's client questionnaire or trainer's report."
    ),
}


@dataclass(frozen=True)
class Respondent:
    """Who answers for a session: ``key`` as stored on the response, a display ``name``, an e-mail."""

    key: str
    name: str
    email: str


def client_respondents(course_session: CourseSession) -> list[Respondent]:
    """The client organisations of the session's bookings, each with the contact of its first booking.

    A booking made by a person for themself (no client organisation) has no client questionnaire.
    """
    seen: dict[int, Respondent] = {}
    bookings = (
        Booking.objects.filter(course_session=course_session, client_organisation__isnull=False)
        .select_related("client_organisation")
        .order_by("created_at", "pk")
    )
    for booking in bookings:
        organisation = booking.client_organisation
        if organisation.pk not in seen:
            seen[organisation.pk] = Respondent(
                "organisation:%d" % organisation.pk, organisation.name, booking.contact_email
            )
    return list(seen.values())


def trainer_respondents(course_session: CourseSession) -> list[Respondent]:
    """The session's trainers."""
    return [
        Respondent("trainer:%d" % trainer.pk, trainer.full_name, trainer.email)
        for trainer in course_session.trainers.order_by("last_name", "first_name")
    ]


def expected_respondents(course_session: CourseSession, kind: str) -> list[Respondent]:
    """Who is expected to answer ``kind`` for ``course_session``."""
    if kind == Kind.CLIENT_FEEDBACK:
        return client_respondents(course_session)
    if kind == Kind.TRAINER_REPORT:
        return trainer_respondents(course_session)
    raise ValueError("Not a stakeholder questionnaire: %s" % kind)


def make_stakeholder_token(*, course_session: CourseSession, kind: str, respondent: str) -> str:
    """A signed token naming the session, the questionnaire ``kind`` and the ``respondent`` key."""
    return make_token(TOKEN_PURPOSE, {"s": course_session.pk, "k": kind, "r": respondent})


def stakeholder_url(*, course_session: CourseSession, kind: str, respondent: str) -> str:
    """The absolute link to answer ``kind`` for ``course_session`` as ``respondent``."""
    token = make_stakeholder_token(course_session=course_session, kind=kind, respondent=respondent)
    return settings.SITE_URL + reverse("evaluation:stakeholder_answer", kwargs={"token": token})


def read_stakeholder_token(token: str) -> tuple[CourseSession, str, Respondent]:
    """Return ``(session, kind, respondent)`` named by ``token``.

    Raises InvalidToken ("invalid" or "expired") for a forged, truncated or too old token, or
    one naming a respondent that is no longer expected (a trainer removed from the session).
    """
    payload = read_token(TOKEN_PURPOSE, token, LINK_MAX_AGE)
    try:
        kind, key = payload["k"], str(payload["r"])
        if kind not in STAKEHOLDER_KINDS:
            raise InvalidToken("invalid")
        course_session = CourseSession.objects.select_related("course").get(pk=int(payload["s"]))
    except (KeyError, TypeError, ValueError, CourseSession.DoesNotExist) as exc:
        raise InvalidToken("invalid") from exc
    for respondent in expected_respondents(course_session, kind):
        if respondent.key == key:
            return course_session, kind, respondent
    raise InvalidToken("invalid")


def submit_stakeholder_response(
    *,
    course_session: CourseSession,
    kind: str,
    respondent: str,
    answers: dict,
    entered_by=None,
    now: datetime.datetime | None = None,
) -> tuple[Response, bool]:
    """Store ``respondent``'s answers to the current ``kind`` questionnaire of the session's course.

    Returns ``(response, created)``; a second submission gets the first response back with
    ``created=False`` (database constraint). Raises NotEligible before the session's first
    half-day has ended (nothing is evaluated before it happened), InvalidAnswers for missing
    or out-of-scale answers.
    """
    if kind not in STAKEHOLDER_KINDS:
        raise NotEligible(_("This questionnaire is answered by trainees."))
    now = now or timezone.now()
    existing = Response.objects.filter(course_session=course_session, kind=kind, respondent=respondent).first()
    if existing is not None:
        return existing, False
    bounds = session_bounds(course_session)
    if bounds is None or bounds[3] > now:
        raise NotEligible(_("This questionnaire opens once the session has taken place."))
    questionnaire = current_questionnaire(course=course_session.course, kind=kind)
    cleaned = clean_answers(questionnaire=questionnaire, raw=answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                questionnaire=questionnaire,
                kind=kind,
                course_session=course_session,
                respondent=respondent,
                submitted_at=now,
                entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
            )
            save_answers(response=response, cleaned=cleaned)
    except IntegrityError:
        return Response.objects.get(course_session=course_session, kind=kind, respondent=respondent), False
    return response, True


def send_stakeholder_questionnaires(*, course_session: CourseSession) -> int:
    """E-mail each expected client contact and trainer who has not answered their link; returns how many.

    Raises NotEligible before the session's first half-day has ended.
    """
    bounds = session_bounds(course_session)
    if bounds is None or bounds[3] > timezone.now():
        raise NotEligible(_("This questionnaire opens once the session has taken place."))
    answered = set(
        Response.objects.filter(course_session=course_session, kind__in=STAKEHOLDER_KINDS).values_list(
            "kind", "respondent"
        )
    )
    sent = 0
    for kind in STAKEHOLDER_KINDS:
        for respondent in expected_respondents(course_session, kind):
            if (kind, respondent.key) in answered or not respondent.email:
                continue
            notify(
                event="evaluation.stakeholder_invitation",
                to=(respondent.name, respondent.email),
                context={
                    "course": course_session.course,
                    "course_session": course_session,
                    "kind_label": Kind(kind).label,
                    "url": stakeholder_url(course_session=course_session, kind=kind, respondent=respondent.key),
                },
                language=course_session.language or None,
            )
            sent += 1
    return sent


def stakeholder_status(course_session: CourseSession) -> dict[str, dict]:
    """Per stakeholder kind: ``{"expected": [Respondent], "answered": {key: Response}}``."""
    responses = {
        (r.kind, r.respondent): r
        for r in Response.objects.filter(course_session=course_session, kind__in=STAKEHOLDER_KINDS)
    }
    result = {}
    for kind in STAKEHOLDER_KINDS:
        expected = expected_respondents(course_session, kind)
        result[kind] = {
            "label": Kind(kind).label,
            "expected": expected,
            "answered": {r.key: responses[(kind, r.key)] for r in expected if (kind, r.key) in responses},
        }
    return result
