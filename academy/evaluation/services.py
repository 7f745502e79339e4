"""Rules of evaluation: questionnaires, answers, answer windows, public figures.

Sending (links, invitations, reminders) lives in ``sending.py``; session reports and
organisation indicators in ``reports.py``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.catalog.models import Course
from academy.core.models import TrainingOrganisation
from academy.core.numbers import percentage, round_half_up
from academy.enrolment.models import Enrolment
from academy.scheduling.models import CourseSession

from . import conf
from .exceptions import InvalidAnswers, NotEligible, WindowClosed, WindowNotOpen
from .models import Answer, DailySatisfaction, Question, Questionnaire, QuestionnaireKind, Response

Kind = QuestionnaireKind

#: The default level scale of self-positioning (0 to 4).
POSITIONING_LEVELS = [
    gettext_lazy("I do not know it"),
    gettext_lazy("I have heard of it"),
    gettext_lazy("I understand it"),
    gettext_lazy("I can apply it"),
    gettext_lazy("I master it and can pass it on"),
]

#: Keys of the end-of-course survey's rated items, in order, with their wording.
SATISFACTION_ITEMS = [
    ("content", gettext_lazy("Content of the course")),
    ("trainer", gettext_lazy("Trainer")),
    ("organisation", gettext_lazy("Organisation (information, venue or remote set-up)")),
    ("pace", gettext_lazy("Pace")),
    ("materials", gettext_lazy("Course materials")),
]

OVERALL_KEY = "overall"
RECOMMEND_KEY = "recommend"
COMMENTS_KEY = "comments"
#: Overall scores counted as "satisfied" in the organisation indicators.
SATISFIED_MIN_SCORE = 4


# --- Questionnaires ---------------------------------------------------------------------------


def _default_title(kind: str, course: Course) -> str:
    titles = {
        Kind.POSITIONING_BEFORE: _("Self-positioning before the course: %(title)s"),
        Kind.POSITIONING_AFTER: _("Self-positioning after the course: %(title)s"),
        Kind.END_OF_COURSE: _("End-of-course survey: %(title)s"),
        Kind.FOLLOW_UP: _("Follow-up survey: %(title)s"),
    }
    return titles[kind] % {"title": course.title}


def _default_questions(kind: str, course: Course) -> list[Question]:
    if kind in (Kind.POSITIONING_BEFORE, Kind.POSITIONING_AFTER):
        labels = [str(label) for label in POSITIONING_LEVELS]
        return [
            Question(
                position=i,
                kind=Question.Kind.LEVEL,
                text=objective.text,
                learning_objective=objective,
                key="objective-%s" % objective.pk,
                scale_labels=labels,
            )
            for i, objective in enumerate(course.objectives.all())
        ]
    if kind == Kind.END_OF_COURSE:
        questions = [
            Question(
                kind=Question.Kind.SCORE, key=OVERALL_KEY, text=_("Overall, how satisfied are you with this course?")
            )
        ]
        questions += [Question(kind=Question.Kind.SCORE, key=key, text=str(text)) for key, text in SATISFACTION_ITEMS]
        questions += [
            Question(kind=Question.Kind.YES_NO, key=RECOMMEND_KEY, text=_("Would you recommend this course?")),
            Question(
                kind=Question.Kind.TEXT,
                key=COMMENTS_KEY,
                required=False,
                text=_("What would you like to tell us (what you liked, what could be better)?"),
            ),
        ]
    else:
        questions = [
            Question(
                kind=Question.Kind.YES_NO, key="use_at_work", text=_("Have you used what you learnt in your work?")
            ),
            Question(
                kind=Question.Kind.SCORE,
                key="impact",
                text=_("How much has the course changed the way you work (1 = not at all, 5 = a lot)?"),
            ),
            Question(
                kind=Question.Kind.TEXT,
                key=COMMENTS_KEY,
                required=False,
                text=_("Tell us how you have used it, or what held you back."),
            ),
        ]
    for position, question in enumerate(questions):
        question.position = position
    return questions


def current_questionnaire(*, course: Course, kind: str) -> Questionnaire:
    """Return the current questionnaire of ``kind`` for ``course``, building the default one if none.

    Self-positioning (before and after) has one level question per learning objective of the
    course, on the 0–4 scale of ``POSITIONING_LEVELS`` (Qualiopi indicators 8 and 11). The
    end-of-course survey rates overall satisfaction, content, trainer, organisation, pace and
    materials from 1 to 5, asks whether the trainee recommends the course, and leaves free text
    (indicator 30); the follow-up survey asks about use at work and impact (Kirkpatrick level 3).
    The wording is stored in the course's language: it is content that staff may then adapt.
    """
    found = Questionnaire.objects.filter(course=course, kind=kind, is_current=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic(), translation.override(course.language or settings.LANGUAGE_CODE):
            version = (Questionnaire.objects.filter(course=course, kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
            questionnaire = Questionnaire.objects.create(
                course=course, kind=kind, version=version, is_current=True, title=_default_title(kind, course)[:250]
            )
            questions = _default_questions(kind, course)
            for question in questions:
                question.questionnaire = questionnaire
            Question.objects.bulk_create(questions)
            return questionnaire
    except IntegrityError:
        # Built at the same moment by another request: use theirs.
        return Questionnaire.objects.get(course=course, kind=kind, is_current=True)


def freeze_answered_version(*, questionnaire: Questionnaire) -> Questionnaire | None:
    """Before an edit, move the answered state of ``questionnaire`` to an archived copy.

    When the questionnaire has responses, a copy with the same version number, its questions and
    all its responses and answers is made non-current, and ``questionnaire`` (the row staff are
    editing) takes the next version number. Returns the archived copy, or None when there was
    nothing to freeze (no response yet: the edit happens in place).
    """
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not locked.responses.exists():
            return None
        next_version = (
            Questionnaire.objects.filter(course_id=locked.course_id, kind=locked.kind).aggregate(v=Max("version"))["v"]
            or 0
        ) + 1
        answered_version = locked.version
        Questionnaire.objects.filter(pk=locked.pk).update(version=next_version)
        archived = Questionnaire.objects.create(
            course_id=locked.course_id,
            kind=locked.kind,
            version=answered_version,
            is_current=False,
            title=locked.title,
            introduction=locked.introduction,
        )
        for question in list(locked.questions.all()):
            old_pk = question.pk
            question.pk = None
            question.questionnaire = archived
            question.save()
            Answer.objects.filter(question_id=old_pk).update(question=question)
        Response.objects.filter(questionnaire=locked).update(questionnaire=archived)
    questionnaire.version = next_version
    return archived


# --- Answer windows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerWindow:
    """When a questionnaire kind accepts answers for a session (aware datetimes; None = unbounded)."""

    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None


def _local_day_at(day: datetime.date, tz: ZoneInfo, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def follow_up_due_at(*, course_session: CourseSession, last_end: datetime.datetime) -> datetime.datetime:
    """The follow-up is due at ``EVALUATION_SEND_HOUR`` local time, ``EVALUATION_FOLLOW_UP_DELAY_DAYS``
    calendar days after the local date of the last slot's end (session's timezone)."""
    tz = course_session.tzinfo
    day = last_end.astimezone(tz).date() + datetime.timedelta(days=conf.follow_up_delay_days())
    return _local_day_at(day, tz, conf.send_hour())


def answer_window(*, course_session: CourseSession, kind: str, bounds: tuple | None = None) -> AnswerWindow | None:
    """Return the window in which a trainee may answer ``kind`` for ``course_session``.

    - positioning before: open from confirmation until the end of the first slot (the trainer
      records what is missing at the opening of the session);
    - positioning after and end-of-course survey: from the start of the last slot until
      ``EVALUATION_ANSWER_WINDOW_DAYS`` days after its end;
    - follow-up: from its due date (see ``follow_up_due_at``) for ``EVALUATION_ANSWER_WINDOW_DAYS`` days.

    ``bounds`` may pass ``(first_start, first_end, last_start, last_end)`` already known. A session
    without slots only accepts the "before" positioning: for other kinds the result is None.
    """
    if bounds is None:
        bounds = session_bounds(course_session)
    if bounds is None:
        return AnswerWindow(None, None) if kind == Kind.POSITIONING_BEFORE else None
    first_start, first_end, last_start, last_end = bounds
    days = datetime.timedelta(days=conf.answer_window_days())
    if kind == Kind.POSITIONING_BEFORE:
        return AnswerWindow(None, first_end)
    if kind in (Kind.POSITIONING_AFTER, Kind.END_OF_COURSE):
        return AnswerWindow(last_start, last_end + days)
    due = follow_up_due_at(course_session=course_session, last_end=last_end)
    return AnswerWindow(due, due + days)


def check_window(*, course_session: CourseSession, kind: str, now: datetime.datetime | None = None) -> None:
    """Raise WindowNotOpen or WindowClosed (with a message giving the date) when ``now`` is outside the window."""
    now = now or timezone.now()
    window = answer_window(course_session=course_session, kind=kind)
    if window is None:
        raise WindowNotOpen(_("This questionnaire opens at the end of the session."))
    tz = course_session.tzinfo
    if window.opens_at is not None and now < window.opens_at:
        raise WindowNotOpen(
            _("This questionnaire opens on %(date)s.")
            % {"date": date_format(window.opens_at.astimezone(tz), "DATETIME_FORMAT")}
        )
    if window.closes_at is not None and now > window.closes_at:
        raise WindowClosed(
            _(
                "The answer period closed on %(date)s: your answer arrived too late to be recorded. "
                "Thank you all the same."
            )
            % {"date": date_format(window.closes_at.astimezone(tz), "DATETIME_FORMAT")}
        )


# --- Answers ----------------------------------------------------------------------------------


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
        if kind == Kind.END_OF_COURSE:
            by_key = {question.key: value for question, value in cleaned.items()}
            _add_to_daily(
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


# --- Public figure ----------------------------------------------------------------------------


def organisation_timezone(request=None) -> ZoneInfo:
    """The training organisation's timezone (reusing the organisation cached on ``request``)."""
    organisation = getattr(request, "_academy_organisation", None) if request is not None else None
    if organisation is None:
        organisation = TrainingOrganisation.current()
        if request is not None:
            request._academy_organisation = organisation
    return ZoneInfo(organisation.timezone or "Europe/Paris")


def _day_of(at: datetime.datetime, tz: ZoneInfo | None = None) -> datetime.date:
    return at.astimezone(tz or organisation_timezone()).date()


def _add_to_daily(*, course_id: int, at: datetime.datetime, overall, recommend, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one end-of-course response's contribution to its day's row."""
    if overall is None and recommend is None:
        return
    changes = {
        "score_count": 1 if overall is not None else 0,
        "score_sum": overall or 0,
        "satisfied_count": 1 if overall is not None and overall >= SATISFIED_MIN_SCORE else 0,
        "recommend_answers": 1 if recommend is not None else 0,
        "recommend_yes": 1 if recommend else 0,
    }
    day = _day_of(at)
    updates = {field: F(field) + sign * amount for field, amount in changes.items() if amount}
    with transaction.atomic():
        if DailySatisfaction.objects.filter(course_id=course_id, day=day).update(**updates):
            return
        if sign < 0:
            return
        try:
            with transaction.atomic():
                DailySatisfaction.objects.create(course_id=course_id, day=day, **changes)
        except IntegrityError:
            DailySatisfaction.objects.filter(course_id=course_id, day=day).update(**updates)


def response_contribution(response: Response) -> tuple[int | None, bool | None]:
    """``(overall score, recommends)`` of an end-of-course response, from its answers."""
    overall = recommend = None
    for answer in response.answers.select_related("question").filter(question__key__in=[OVERALL_KEY, RECOMMEND_KEY]):
        if answer.question.key == OVERALL_KEY:
            overall = answer.value_int
        else:
            recommend = answer.value_bool
    return overall, recommend


def remove_from_daily(response: Response) -> None:
    """Take ``response`` out of the daily figures (called before it is deleted)."""
    if response.kind != Kind.END_OF_COURSE:
        return
    overall, recommend = response_contribution(response)
    _add_to_daily(
        course_id=response.course_session.course_id,
        at=response.submitted_at,
        overall=overall,
        recommend=recommend,
        sign=-1,
    )


def rebuild_daily_satisfaction(*, course: Course | None = None) -> int:
    """Recompute the daily satisfaction rows from the stored responses; returns the rows written.

    For bulk imports and as a safety net (``manage.py rebuild_satisfaction_figures``). Counts anonymised responses too.
    """
    tz = organisation_timezone()
    rows: dict[tuple[int, datetime.date], dict] = {}
    answers = Answer.objects.filter(response__kind=Kind.END_OF_COURSE, question__key__in=[OVERALL_KEY, RECOMMEND_KEY])
    if course is not None:
        answers = answers.filter(response__course_session__course=course)
    for course_id, at, key, value_int, value_bool in answers.values_list(
        "response__course_session__course_id", "response__submitted_at", "question__key", "value_int", "value_bool"
    ).iterator(chunk_size=2000):
        row = rows.setdefault(
            (course_id, at.astimezone(tz).date()),
            dict.fromkeys(["score_count", "score_sum", "satisfied_count", "recommend_answers", "recommend_yes"], 0),
        )
        if key == OVERALL_KEY and value_int is not None:
            row["score_count"] += 1
            row["score_sum"] += value_int
            row["satisfied_count"] += 1 if value_int >= SATISFIED_MIN_SCORE else 0
        elif key == RECOMMEND_KEY and value_bool is not None:
            row["recommend_answers"] += 1
            row["recommend_yes"] += 1 if value_bool else 0
    with transaction.atomic():
        existing = (
            DailySatisfaction.objects.all() if course is None else DailySatisfaction.objects.filter(course=course)
        )
        existing.delete()
        DailySatisfaction.objects.bulk_create(
            [DailySatisfaction(course_id=c, day=d, **values) for (c, d), values in rows.items()], batch_size=1000
        )
    return len(rows)


def satisfaction_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 months including ``today``: ``(first day, today)``, both included.

    The window starts the day after the same date one year earlier, so it holds exactly one
    year of calendar days: on 2026-11-29 it runs from 2025-11-30 to 2026-11-29, and an answer
    given on 2025-11-29 is out. Days are calendar days in the organisation's timezone. On
    29 February the same date a year earlier is taken as 28 February.
    """
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + datetime.timedelta(days=1), today


@dataclass(frozen=True)
class SatisfactionFigure:
    """Public end-of-course figures over a period.

    ``mean_score`` is out of 5, rounded half-up to 2 decimals (the precision shown, e.g. "4.55");
    ``recommend_pct`` and ``satisfied_pct`` are whole percent rounded half-up, never 100 unless
    every respondent (``academy.core.numbers.percentage``, field case FC-09).
    """

    first_day: datetime.date
    last_day: datetime.date
    score_count: int
    score_sum: int
    satisfied_count: int
    recommend_answers: int
    recommend_yes: int

    @property
    def mean_score(self) -> Decimal | None:
        if not self.score_count:
            return None
        return round_half_up(Decimal(self.score_sum) / Decimal(self.score_count), 2)

    @property
    def recommend_pct(self) -> Decimal | None:
        return percentage(self.recommend_yes, self.recommend_answers)

    @property
    def satisfied_pct(self) -> Decimal | None:
        return percentage(self.satisfied_count, self.score_count)


def satisfaction_figure(
    *, course: Course | None = None, today: datetime.date | None = None, tz: ZoneInfo | None = None
) -> SatisfactionFigure:
    """Sum the daily rows of ``course`` (all courses when None) over the last 12 months: one query."""
    today = today or timezone.localdate(timezone=tz or organisation_timezone())
    first_day, last_day = satisfaction_window(today)
    rows = DailySatisfaction.objects.filter(day__gte=first_day, day__lte=last_day)
    if course is not None:
        rows = rows.filter(course=course)
    totals = rows.aggregate(
        score_count=Sum("score_count"),
        score_sum=Sum("score_sum"),
        satisfied_count=Sum("satisfied_count"),
        recommend_answers=Sum("recommend_answers"),
        recommend_yes=Sum("recommend_yes"),
    )
    return SatisfactionFigure(first_day=first_day, last_day=last_day, **{k: v or 0 for k, v in totals.items()})


def public_figure(
    *, course: Course, today: datetime.date | None = None, tz: ZoneInfo | None = None
) -> SatisfactionFigure | None:
    """The course page's figure, or None below ``EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS`` answers."""
    figure = satisfaction_figure(course=course, today=today, tz=tz)
    if figure.score_count < max(conf.public_figure_min_answers(), 1):
        return None
    return figure


def session_bounds(course_session: CourseSession) -> tuple | None:
    """``(first_start, first_end, last_start, last_end)`` of the session's slots, or None."""
    agg = course_session.slots.aggregate(
        first_start=Min("starts_at"), last_end=Max("ends_at"), last_start=Max("starts_at"), first_end=Min("ends_at")
    )
    if agg["first_start"] is None:
        return None
    return agg["first_start"], agg["first_end"], agg["last_start"], agg["last_end"]
