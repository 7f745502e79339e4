"""Answers: check them, store a response, delete or anonymise responses."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.enrolment.models import Enrolment

from ..exceptions import InvalidAnswers, NotEligible
from ..models import Answer, Question, Questionnaire, Response

# --- Answers ----------------------------------------------------------------------------------
from .questionnaires import OVERALL_KEY, RECOMMEND_KEY, Kind, current_questionnaire
from .satisfaction import add_to_daily
from .windows import check_window


def clean_answers(*, questionnaire: Questionnaire, raw: dict) -> dict[Question, object]:
    """Validate raw answers ``{question_id: value}`` against each question's scale.

    Level and score values must be integers within the scale, yes/no a boolean (or "yes"/"no",
    "true"/"false", "1"/"0"), text a string. Required questions must be answered. Returns
    ``{question: cleaned value or None}``; raises InvalidAnswers mapping question id to message.
    """
    errors: dict[int, str] = {}
    cleaned: dict[Question, object] = {}
    for question in questionnaire.questions.all():
        value = raw.get(question.pk, raw.get(str(question.pk)))
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if question.required and question.kind != Question.Kind.TEXT:
                errors[question.pk] = _("Please answer this question.")
            cleaned[question] = None
            continue
        if question.kind in (Question.Kind.LEVEL, Question.Kind.SCORE):
            low, high = question.scale_bounds
            if isinstance(value, int) and not isinstance(value, bool):
                number = value
            elif isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value):
                number = int(value)
            else:
                number = None
            if isinstance(value, bool) or number is None or not low <= number <= high:
                errors[question.pk] = _(
                    "“%(value)s” is outside the scale: choose a value from %(low)s to %(high)s."
                ) % {"value": value, "low": low, "high": high}
                continue
            cleaned[question] = number
        elif question.kind == Question.Kind.YES_NO:
            if isinstance(value, bool):
                cleaned[question] = value
            elif str(value).lower() in ("yes", "true", "1", "oui"):
                cleaned[question] = True
            elif str(value).lower() in ("no", "false", "0", "non"):
                cleaned[question] = False
            else:
                errors[question.pk] = _("“%(value)s” is not an answer to a yes/no question.") % {"value": value}
        else:
            cleaned[question] = str(value)[:5000]
    if errors:
        raise InvalidAnswers(errors)
    return cleaned


def save_answers(*, response: Response, cleaned: dict[Question, object]) -> None:
    """Store ``cleaned`` (from ``clean_answers``) as the answers of ``response``, one row per answered
    question, each value in the column of its question's kind."""
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=question,
                value_int=value if question.kind in (Question.Kind.LEVEL, Question.Kind.SCORE) else None,
                value_bool=value if question.kind == Question.Kind.YES_NO else None,
                value_text=value if question.kind == Question.Kind.TEXT and value else "",
            )
            for question, value in cleaned.items()
            if value is not None
        ]
    )


@dataclass(frozen=True)
class SubmitResult:
    """``response`` stored; ``created`` is False when an earlier submission already held it (FC-08)."""

    response: Response
    created: bool


def submit_response(
    *,
    enrolment: Enrolment,
    kind: str,
    answers: dict,
    entered_by=None,
    now: datetime.datetime | None = None,
    enforce_window: bool = True,
) -> SubmitResult:
    """Store ``enrolment``'s answers to the current questionnaire of ``kind``.

    ``answers`` maps question id to raw value (see ``clean_answers``). ``entered_by`` is the
    trainer or staff user recording answers on a trainee's behalf: the response is then marked
    "entered by the trainer" and the window is not enforced.

    One response per (enrolment, kind), whatever the double clicks and tabs (field case FC-08):
    the insert is guarded by the unique constraint; the loser of a race gets the existing response
    back with ``created=False`` and nothing else changes. The course's daily satisfaction figures
    are updated in the same transaction.

    Raises NotEligible (enrolment not confirmed), WindowNotOpen / WindowClosed (trainee outside the
    window), InvalidAnswers (missing or out-of-scale answers).
    """
    now = now or timezone.now()
    existing = Response.objects.filter(enrolment=enrolment, kind=kind).first()
    if existing is not None:
        return SubmitResult(existing, False)
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise NotEligible(_("Only confirmed trainees can answer this questionnaire."))
    course_session = enrolment.course_session
    if enforce_window and entered_by is None:
        check_window(course_session=course_session, kind=kind, now=now)
    questionnaire = current_questionnaire(course=course_session.course, kind=kind)
    cleaned = clean_answers(questionnaire=questionnaire, raw=answers)
    with transaction.atomic():
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    questionnaire=questionnaire,
                    kind=kind,
                    course_session=course_session,
                    enrolment=enrolment,
                    submitted_at=now,
                    entered_by_trainer=entered_by is not None,
                    entered_by=entered_by,
                )
        except IntegrityError:
            return SubmitResult(Response.objects.get(enrolment=enrolment, kind=kind), False)
        save_answers(response=response, cleaned=cleaned)
        if kind == Kind.END_OF_COURSE:
            by_key = {question.key: value for question, value in cleaned.items()}
            add_to_daily(
                course_id=course_session.course_id,
                at=now,
                overall=by_key.get(OVERALL_KEY),
                recommend=by_key.get(RECOMMEND_KEY),
                sign=1,
            )
    return SubmitResult(response, True)


def delete_response(*, response: Response) -> None:
    """Delete ``response`` and its answers; the public figures drop it at once (pre_delete receiver)."""
    response.delete()


def anonymise_responses(*, enrolments) -> int:
    """Detach the responses of ``enrolments`` from the person (GDPR art. 17) and return how many.

    The response and its level, score and yes/no answers stay, so reports and public figures keep
    their counts; free-text answers are blanked because they may name the person.
    """
    now = timezone.now()
    with transaction.atomic():
        responses = Response.objects.filter(enrolment__in=enrolments)
        ids = list(responses.values_list("pk", flat=True))
        Answer.objects.filter(response_id__in=ids, question__kind=Question.Kind.TEXT).update(value_text="")
        Response.objects.filter(pk__in=ids).update(enrolment=None, anonymised_at=now)
    return len(ids)
