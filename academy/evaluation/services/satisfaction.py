"""Satisfaction figures: the per-day totals behind the public figure of a course, and the figure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from academy.catalog.models import Course
from academy.catalog.pagecache import invalidate_catalogue, invalidate_course
from academy.core.models import TrainingOrganisation
from academy.core.numbers import percentage, round_half_up

from .. import conf
from ..models import Answer, DailySatisfaction, Response

# --- Public figure ----------------------------------------------------------------------------
from .questionnaires import OVERALL_KEY, RECOMMEND_KEY, SATISFIED_MIN_SCORE, Kind


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


def add_to_daily(*, course_id: int, at: datetime.datetime, overall, recommend, sign: int) -> None:
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
    invalidate_course(course_id)  # the course page shows the figure: render it again after commit
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
    add_to_daily(
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
        invalidate_catalogue()  # every course page's figure may have changed
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
