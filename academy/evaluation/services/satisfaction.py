"""Satisfaction figures: the per-day totals behind the public figure of a course, and the figure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from academy.catalog.models import Course
from academy.catalog.pagecache import invalidate_catalogue, invalidate_course
from academy.core.models import TrainingOrganisation
from academy.core.numbers import percentage, round_half_up

from .. import conf
from ..models import Answer, DailySatisfaction, PastSatisfaction, Response

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
    score_sum: int | Decimal
    satisfied_count: int
    recommend_answers: int
    recommend_yes: int
    #: Reviews whose satisfied/not satisfied split is known (past figures may not say); None: all.
    satisfied_basis: int | None = None

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
        basis = self.score_count if self.satisfied_basis is None else self.satisfied_basis
        return percentage(self.satisfied_count, basis)


def satisfaction_figure(
    *,
    course: Course | None = None,
    today: datetime.date | None = None,
    tz: ZoneInfo | None = None,
    first_day: datetime.date | None = None,
) -> SatisfactionFigure:
    """Sum the daily rows and past figures of ``course`` (all courses when None) over the last
    12 months (or from ``first_day`` to ``today`` when given): one query."""
    today = today or timezone.localdate(timezone=tz or organisation_timezone())
    window_start, last_day = satisfaction_window(today)
    first_day = first_day or window_start
    rows = DailySatisfaction.objects.filter(day__gte=first_day, day__lte=last_day)
    # Figures brought from before Academy count while their whole period is in the window; they
    # are summed in the same query (scalar subqueries), means kept exact in hundredths.
    past = PastSatisfaction.objects.filter(first_day__gte=first_day, last_day__lte=last_day)
    if course is not None:
        rows = rows.filter(course=course)
        past = past.filter(course=course)
    hundredths = F("score_count") * Cast(Round(F("mean_score") * 100), IntegerField())
    known = Case(When(satisfied_count__isnull=False, then=F("score_count")), default=Value(0))
    totals = rows.aggregate(
        all_scores=Coalesce(Sum("score_count"), 0) + _past_sum(past, F("score_count")),
        all_hundredths=Coalesce(Sum("score_sum"), 0) * 100 + _past_sum(past, hundredths),
        all_satisfied=Coalesce(Sum("satisfied_count"), 0) + _past_sum(past, Coalesce("satisfied_count", 0)),
        all_satisfied_basis=Coalesce(Sum("score_count"), 0) + _past_sum(past, known),
        all_recommend_answers=Coalesce(Sum("recommend_answers"), 0) + _past_sum(past, F("recommend_answers")),
        all_recommend_yes=Coalesce(Sum("recommend_yes"), 0) + _past_sum(past, F("recommend_yes")),
    )
    hundredths_total = totals["all_hundredths"]
    score_sum = hundredths_total // 100 if hundredths_total % 100 == 0 else Decimal(hundredths_total) / 100
    return SatisfactionFigure(
        first_day=first_day,
        last_day=last_day,
        score_count=totals["all_scores"],
        score_sum=score_sum,
        satisfied_count=totals["all_satisfied"],
        satisfied_basis=totals["all_satisfied_basis"],
        recommend_answers=totals["all_recommend_answers"],
        recommend_yes=totals["all_recommend_yes"],
    )


def _past_sum(past, expression):
    """A scalar subquery: the sum of ``expression`` over the ``past`` figures, 0 when there are none."""
    summed = (
        past.order_by()
        .annotate(_all=Value(1, output_field=IntegerField()))
        .values("_all")
        .annotate(total=Sum(expression, output_field=IntegerField()))
        .values("total")
    )
    return Coalesce(Subquery(summed[:1], output_field=IntegerField()), 0)


@dataclass(frozen=True)
class PastFigureRow:
    """One line of a past-figures file, checked (see ``import_past_satisfaction``)."""

    course_code: str
    first_day: datetime.date
    last_day: datetime.date
    score_count: int
    mean_score: Decimal
    recommend_answers: int
    recommend_yes: int
    satisfied_count: int | None
    source: str


class PastFiguresError(ValueError):
    """A past-figures file is wrong: the message names the line, the column and the reason."""


PAST_FIGURE_COLUMNS = ("course", "first_day", "last_day", "reviews", "mean", "recommend_pct")
PAST_FIGURE_OPTIONAL = ("recommend_answers", "satisfied", "source")


def read_past_figures(text: str, *, name: str = "file") -> list[PastFigureRow]:
    """Parse a CSV of past figures: ``course,first_day,last_day,reviews,mean,recommend_pct`` and
    optionally ``recommend_answers`` (default: ``reviews``), ``satisfied`` (reviews scored 4 or 5)
    and ``source``. Dates ``YYYY-MM-DD``; ``mean`` out of 5 with "." or ","; ``recommend_pct`` 0–100.

    Raises PastFiguresError naming ``name``, the line and the column of the first mistake.
    """
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in PAST_FIGURE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PastFiguresError("%s: missing column(s) %s." % (name, ", ".join(missing)))
    rows = []
    for line, raw in enumerate(reader, start=2):

        def fail(column, reason, line=line):
            raise PastFiguresError("%s, line %d, column %s: %s" % (name, line, column, reason))

        def number(column, kind=int, required=True, raw=raw):
            value = (raw.get(column) or "").strip().replace(",", ".").replace("%", "").strip()
            if not value:
                if required:
                    fail(column, "a value is needed.")
                return None
            try:
                result = Decimal(value) if kind is Decimal else int(value)
            except (ValueError, ArithmeticError):
                fail(column, "%r is not a number." % value)
            if result < 0:
                fail(column, "must not be negative.")
            return result

        def day(column, raw=raw):
            value = (raw.get(column) or "").strip()
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                fail(column, "%r is not a date YYYY-MM-DD." % value)

        code = (raw.get("course") or "").strip()
        if not code:
            fail("course", "a course code is needed.")
        first, last = day("first_day"), day("last_day")
        if last < first:
            fail("last_day", "the period ends before it starts.")
        reviews = number("reviews")
        if reviews < 1:
            fail("reviews", "at least one review is needed.")
        mean = number("mean", Decimal)
        if not Decimal(1) <= mean <= Decimal(5) or mean != round_half_up(mean, 2):
            fail("mean", "must be between 1 and 5 with at most 2 decimals.")
        pct = number("recommend_pct", Decimal)
        if pct > 100:
            fail("recommend_pct", "a percentage is at most 100.")
        answers = number("recommend_answers", required=False)
        answers = reviews if answers is None else answers
        satisfied = number("satisfied", required=False)
        if satisfied is not None and satisfied > reviews:
            fail("satisfied", "more satisfied reviews than reviews.")
        rows.append(
            PastFigureRow(
                course_code=code,
                first_day=first,
                last_day=last,
                score_count=reviews,
                mean_score=mean,
                recommend_answers=answers,
                recommend_yes=int(round_half_up(pct * answers / 100)),
                satisfied_count=satisfied,
                source=(raw.get("source") or "").strip()[:200],
            )
        )
    return rows


def import_past_satisfaction(rows: list[PastFigureRow], *, name: str = "file") -> int:
    """Save ``rows`` (all or nothing), replacing a figure of the same course and period; return the count.

    Raises PastFiguresError when a course code is unknown.
    """
    codes = {row.course_code for row in rows}
    courses = {c.code: c for c in Course.objects.filter(code__in=codes)}
    unknown = sorted(codes - set(courses))
    if unknown:
        raise PastFiguresError("%s: unknown course code(s) %s." % (name, ", ".join(unknown)))
    with transaction.atomic():
        for row in rows:
            PastSatisfaction.objects.update_or_create(
                course=courses[row.course_code],
                first_day=row.first_day,
                last_day=row.last_day,
                defaults={
                    "score_count": row.score_count,
                    "mean_score": row.mean_score,
                    "satisfied_count": row.satisfied_count,
                    "recommend_answers": row.recommend_answers,
                    "recommend_yes": row.recommend_yes,
                    "source": row.source,
                },
            )
    return len(rows)


def public_figure(
    *, course: Course, today: datetime.date | None = None, tz: ZoneInfo | None = None
) -> SatisfactionFigure | None:
    """The course page's figure, or None below ``EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS`` answers."""
    figure = satisfaction_figure(course=course, today=today, tz=tz)
    if figure.score_count < max(conf.public_figure_min_answers(), 1):
        return None
    return figure
