"""Session reports and organisation-wide indicators, shared by pages and exports.

Every figure is computed by SQL aggregates (Sum, Count) and divided with Decimal, rounded half-up
at the precision shown (``academy.core.numbers``): means to 2 decimals, rates to whole percent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.numbers import percentage, round_half_up
from academy.enrolment.models import Enrolment
from academy.scheduling.models import CourseSession

from . import conf
from .charts import Bar, bar_chart, describe
from .models import TRAINEE_KINDS, Answer, Question, QuestionnaireKind, Response
from .services import OVERALL_KEY, RECOMMEND_KEY, SATISFACTION_ITEMS, satisfaction_figure, satisfaction_window

Kind = QuestionnaireKind
LEVEL_MAX = 4


def _mean(total, count) -> Decimal | None:
    if not count:
        return None
    return round_half_up(Decimal(total) / Decimal(count), 2)


@dataclass
class ObjectiveRow:
    """Before/after self-positioning on one objective: means on the 0–4 scale and progression."""

    text: str
    before: Decimal | None = None
    before_count: int = 0
    after: Decimal | None = None
    after_count: int = 0

    @property
    def progression(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class ItemRow:
    """One rated item (1–5) of the end-of-course or follow-up survey."""

    key: str
    text: str
    mean: Decimal | None
    count: int


@dataclass
class RateRow:
    """Response rate of one questionnaire kind: ``responses`` out of ``trainees``."""

    kind: str
    label: str
    responses: int
    trainees: int

    @property
    def pct(self) -> Decimal | None:
        return percentage(min(self.responses, self.trainees), self.trainees)


@dataclass
class SessionReport:
    course_session: CourseSession
    trainees: int
    objectives: list[ObjectiveRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    follow_up_items: list[ItemRow] = field(default_factory=list)
    recommend_yes: int = 0
    recommend_answers: int = 0
    use_at_work_yes: int = 0
    use_at_work_answers: int = 0
    comments: list[tuple[str, str]] = field(default_factory=list)
    rates: list[RateRow] = field(default_factory=list)

    @property
    def recommend_pct(self) -> Decimal | None:
        return percentage(self.recommend_yes, self.recommend_answers)

    @property
    def use_at_work_pct(self) -> Decimal | None:
        return percentage(self.use_at_work_yes, self.use_at_work_answers)

    def positioning_chart(self):
        groups = [(row.text, [Bar(_("Before"), row.before), Bar(_("After"), row.after)]) for row in self.objectives]
        return bar_chart(
            chart_id="positioning-%s" % self.course_session.pk,
            title=_("Self-positioning per objective, mean level before and after (0 to 4)"),
            description=describe(groups, LEVEL_MAX, _("no answer")),
            groups=groups,
            max_value=LEVEL_MAX,
            no_answer=_("no answer"),
        )

    def satisfaction_chart(self):
        groups = [(row.text, [Bar(_("Mean"), row.mean)]) for row in self.items]
        return bar_chart(
            chart_id="satisfaction-%s" % self.course_session.pk,
            title=_("End-of-course satisfaction, mean score per item (1 to 5)"),
            description=describe(groups, 5, _("no answer")),
            groups=groups,
            max_value=5,
            no_answer=_("no answer"),
        )

    def rows(self) -> tuple[list[str], list[list]]:
        """Headers and rows of the CSV/XLSX/PDF exports (same data as the page)."""
        headers = [
            _("Section"),
            _("Item"),
            _("Before (mean, 0–4)"),
            _("After (mean, 0–4)"),
            _("Progression"),
            _("Mean (1–5)"),
            _("Rate (%)"),
            _("Answers"),
        ]
        rows: list[list] = []
        for row in self.objectives:
            rows.append(
                [
                    _("Self-positioning"),
                    row.text,
                    row.before,
                    row.after,
                    row.progression,
                    None,
                    None,
                    max(row.before_count, row.after_count),
                ]
            )
        for row in self.items:
            rows.append([_("End-of-course survey"), row.text, None, None, None, row.mean, None, row.count])
        rows.append(
            [
                _("End-of-course survey"),
                _("Would recommend the course"),
                None,
                None,
                None,
                None,
                self.recommend_pct,
                self.recommend_answers,
            ]
        )
        for row in self.follow_up_items:
            rows.append([_("Follow-up survey"), row.text, None, None, None, row.mean, None, row.count])
        if self.use_at_work_answers:
            rows.append(
                [
                    _("Follow-up survey"),
                    _("Used at work"),
                    None,
                    None,
                    None,
                    None,
                    self.use_at_work_pct,
                    self.use_at_work_answers,
                ]
            )
        for rate in self.rates:
            rows.append([_("Response rate"), rate.label, None, None, None, None, rate.pct, rate.responses])
        for label, text in self.comments:
            rows.append([_("Free text"), label, None, None, None, None, None, text])
        return headers, rows


def session_report(*, course_session: CourseSession) -> SessionReport:
    """Build the evaluation report of ``course_session`` in a fixed number of queries.

    Objectives pair the before and after answers by learning objective (or by question text when
    staff added items); means are on the 0–4 scale, progression is after minus before. Response
    rates divide the responses (anonymised ones included) by the confirmed trainees.
    """
    trainees = course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
    report = SessionReport(course_session=course_session, trainees=trainees)
    answers = Answer.objects.filter(response__course_session=course_session)

    objectives: dict[object, ObjectiveRow] = {}
    for objective in course_session.course.objectives.all():
        objectives[("objective", objective.pk)] = ObjectiveRow(text=objective.text)
    positioning = (
        answers.filter(
            response__kind__in=[Kind.POSITIONING_BEFORE, Kind.POSITIONING_AFTER],
            question__kind=Question.Kind.LEVEL,
            value_int__isnull=False,
        )
        .values("response__kind", "question__learning_objective_id", "question__text")
        .annotate(total=Sum("value_int"), count=Count("pk"))
        .order_by()
    )
    totals: dict[tuple, list[int]] = {}
    for entry in positioning:
        key = (
            ("objective", entry["question__learning_objective_id"])
            if entry["question__learning_objective_id"]
            else ("text", entry["question__text"])
        )
        objectives.setdefault(key, ObjectiveRow(text=entry["question__text"]))
        total = totals.setdefault(key + (entry["response__kind"],), [0, 0])
        total[0] += entry["total"]
        total[1] += entry["count"]
    for key, row in objectives.items():
        before = totals.get(key + (Kind.POSITIONING_BEFORE,), [0, 0])
        after = totals.get(key + (Kind.POSITIONING_AFTER,), [0, 0])
        row.before, row.before_count = _mean(*before), before[1]
        row.after, row.after_count = _mean(*after), after[1]
    report.objectives = list(objectives.values())

    wording = dict(SATISFACTION_ITEMS)
    scores = (
        answers.filter(
            response__kind__in=[Kind.END_OF_COURSE, Kind.FOLLOW_UP],
            question__kind=Question.Kind.SCORE,
            value_int__isnull=False,
        )
        .values("response__kind", "question__key")
        .annotate(total=Sum("value_int"), count=Count("pk"), text=Max("question__text"))
        .order_by()
    )
    order = [OVERALL_KEY] + [key for key, _text in SATISFACTION_ITEMS]
    end_items, follow_items = [], []
    for entry in scores:
        key = entry["question__key"]
        text = _("Overall satisfaction") if key == OVERALL_KEY else str(wording.get(key, entry["text"]))
        item = ItemRow(key=key, text=text, mean=_mean(entry["total"], entry["count"]), count=entry["count"])
        (end_items if entry["response__kind"] == Kind.END_OF_COURSE else follow_items).append(item)
    end_items.sort(key=lambda item: (order.index(item.key) if item.key in order else len(order), item.text))
    report.items, report.follow_up_items = end_items, follow_items

    yes_no = (
        answers.filter(question__kind=Question.Kind.YES_NO, value_bool__isnull=False)
        .values("response__kind", "question__key")
        .annotate(yes=Count("pk", filter=Q(value_bool=True)), count=Count("pk"))
        .order_by()
    )
    for entry in yes_no:
        if entry["response__kind"] == Kind.END_OF_COURSE and entry["question__key"] == RECOMMEND_KEY:
            report.recommend_yes, report.recommend_answers = entry["yes"], entry["count"]
        elif entry["response__kind"] == Kind.FOLLOW_UP:
            report.use_at_work_yes += entry["yes"]
            report.use_at_work_answers += entry["count"]

    labels = {Kind.END_OF_COURSE: _("End-of-course survey"), Kind.FOLLOW_UP: _("Follow-up survey")}
    report.comments = [
        (str(labels.get(kind, "")), text)
        for kind, text in answers.filter(question__kind=Question.Kind.TEXT)
        .exclude(value_text="")
        .order_by("response__kind", "response__submitted_at")
        .values_list("response__kind", "value_text")
    ]
    counts = dict(
        Response.objects.filter(course_session=course_session)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
        .order_by()
    )
    report.rates = [
        RateRow(kind=kind, label=str(label), responses=counts.get(kind, 0), trainees=trainees)
        for kind, label in Kind.choices
        if kind in TRAINEE_KINDS
    ]
    return report


# --- Organisation-wide indicators (Qualiopi indicator 2) --------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One published indicator: ``value`` in ``unit`` over ``[period_start, period_end]`` on ``sample_size``.

    ``not_due`` is True for a response rate whose questionnaire is not yet due for any session of
    the period (``value`` is then None, never a misleading 0 %).
    """

    code: str
    label: str
    value: Decimal | int | None
    unit: str
    sample_size: int
    period_start: datetime.date
    period_end: datetime.date
    note: str = ""
    not_due: bool = False
    no_data: bool = False


def organisation_indicators(
    *,
    today: datetime.date | None = None,
    tz=None,
    now: datetime.datetime | None = None,
    first_day: datetime.date | None = None,
) -> list[Indicator]:
    """Qualiopi indicator 2 figures over the last 12 months including today (organisation's timezone),
    or from ``first_day`` to ``today`` when given (an evidence pack's period).

    - mean satisfaction (/5) and satisfaction rate (share of overall scores of 4 or 5) over
      end-of-course answers given in the period;
    - recommendation rate;
    - number of trainees: confirmed enrolments of sessions ended in the period — a session has
      ended once its last half-day has ended (``now``), not merely on the day it ends;
    - response rates of each questionnaire over the trainees for whom it is due: every ended
      session for the positionings and the end-of-course survey; for the follow-up survey only
      sessions whose follow-up is due (``services.follow_up_due_at``, N days after the end).
      A questionnaire due for nobody yet is published as "not yet due", not as 0 %.
    A handful of aggregate queries whatever the volume.
    """
    from .services import follow_up_due_at, organisation_timezone

    tz = tz or organisation_timezone()
    now = now or timezone.now()
    today = today or timezone.localdate(now, timezone=tz)
    window_start, last_day = satisfaction_window(today)
    first_day = first_day or window_start
    figure = satisfaction_figure(today=today, tz=tz, first_day=first_day)
    start = datetime.datetime.combine(first_day, datetime.time(0), tzinfo=tz)
    end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(0), tzinfo=tz)
    ended = list(
        CourseSession.objects.exclude(status=CourseSession.Status.CANCELLED)
        .annotate(
            last_end=Max("slots__ends_at"),
            confirmed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED), distinct=True),
            dropped_out=Count(
                "enrolments",
                filter=Q(enrolments__status=Enrolment.Status.CONFIRMED, enrolments__dropped_out_at__isnull=False),
                distinct=True,
            ),
        )
        .filter(last_end__gte=start, last_end__lt=end, last_end__lte=now)
        .only("pk", "timezone")
    )
    trainees = sum(session.confirmed for session in ended)
    responses_by_session = {
        (row["course_session"], row["kind"]): row["n"]
        for row in Response.objects.filter(course_session__in=[session.pk for session in ended])
        .values("course_session", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    period = {"period_start": first_day, "period_end": last_day}
    indicators = [
        Indicator(
            "satisfaction_mean",
            _("Mean satisfaction (out of 5)"),
            figure.mean_score,
            "/5",
            figure.score_count,
            **period,
            note=_("End-of-course answers given in the period."),
        ),
        Indicator(
            "satisfaction_rate",
            _("Satisfaction rate (overall score 4 or 5)"),
            figure.satisfied_pct,
            "%",
            figure.score_count,
            **period,
        ),
        Indicator(
            "recommendation_rate",
            _("Recommendation rate"),
            figure.recommend_pct,
            "%",
            figure.recommend_answers,
            **period,
        ),
        Indicator(
            "trainees",
            _("Number of trainees"),
            trainees,
            _("trainees"),
            trainees,
            **period,
            note=_("Confirmed trainees of sessions ended in the period."),
        ),
    ]
    indicators += outcome_rates(ended=ended, trainees=trainees, period=period)
    for kind, label in Kind.choices:
        if kind not in TRAINEE_KINDS:
            continue
        due = [
            session
            for session in ended
            if kind != Kind.FOLLOW_UP or follow_up_due_at(course_session=session, last_end=session.last_end) <= now
        ]
        expected = sum(session.confirmed for session in due)
        responses = sum(min(responses_by_session.get((session.pk, kind), 0), session.confirmed) for session in due)
        not_due = bool(ended) and not due
        indicators.append(
            Indicator(
                "response_rate_%s" % kind,
                _("Response rate: %(questionnaire)s") % {"questionnaire": label},
                percentage(responses, expected),
                "%",
                expected,
                **period,
                note=_("Not yet due: sent %(days)d days after the end of a session.")
                % {"days": conf.follow_up_delay_days()}
                if not_due
                else "",
                not_due=not_due,
            )
        )
    return indicators


#: Level of the "after" self-positioning from which a learning objective counts as achieved
#: (0–4 scale: 3 = "I can apply it"); the end-of-training attestation uses the same threshold.
OBJECTIVE_ACHIEVED_MIN_LEVEL = 3


def results_min_count() -> int:
    """``RESULTS_MIN_COUNT``: fewest cases for a completion, drop-out or achievement rate to be published (5)."""
    from django.conf import settings

    return int(getattr(settings, "RESULTS_MIN_COUNT", 5))


#: How the rates are computed, as published next to them (Qualiopi indicator 2).
def rounding_rule() -> str:
    return _(
        "Rates are percentages rounded half-up to the whole percent, never shown as 100 %% unless every case "
        "counts; a completion, drop-out or objective-achievement rate is published from %(min)d cases upward."
    ) % {"min": results_min_count()}


def _rate(code: str, label: str, part: int, whole: int, period: dict, note: str) -> Indicator:
    minimum = results_min_count()
    note = "%s %s" % (note, rounding_rule())
    if whole == 0:
        return Indicator(
            code, label, None, "%", 0, **period, note="%s %s" % (_("No data for this period."), note), no_data=True
        )
    if whole < minimum:
        return Indicator(
            code,
            label,
            None,
            "%",
            whole,
            **period,
            note="%s %s" % (_("Not published: fewer than %(min)d cases in the period.") % {"min": minimum}, note),
            no_data=True,
        )
    return Indicator(code, label, percentage(part, whole), "%", whole, **period, note=note)


def outcome_rates(*, ended: list, trainees: int, period: dict) -> list[Indicator]:
    """Completion, drop-out and objective-achievement rates over the sessions ``ended`` in the period.

    - completion: confirmed trainees who did not drop out, over the confirmed trainees;
    - drop-out: confirmed trainees recorded as dropped out (Qualiopi indicator 12), over the same;
    - objective achievement: "after" self-positioning answers at level ``OBJECTIVE_ACHIEVED_MIN_LEVEL``
      or above, over all such answers (one per trainee and learning objective).
    Each rate needs ``results_min_count()`` cases; below that, or with no case, it is withheld and
    says so rather than showing 0 %. Two aggregate queries.
    """
    dropped_out = sum(getattr(session, "dropped_out", 0) for session in ended)
    answers = Answer.objects.filter(
        response__course_session__in=[session.pk for session in ended],
        response__kind=Kind.POSITIONING_AFTER,
        question__kind=Question.Kind.LEVEL,
        value_int__isnull=False,
    ).aggregate(total=Count("pk"), achieved=Count("pk", filter=Q(value_int__gte=OBJECTIVE_ACHIEVED_MIN_LEVEL)))
    return [
        _rate(
            "completion_rate",
            _("Completion rate"),
            trainees - dropped_out,
            trainees,
            period,
            _("Confirmed trainees of sessions ended in the period who went to the end."),
        ),
        _rate(
            "dropout_rate",
            _("Drop-out rate"),
            dropped_out,
            trainees,
            period,
            _("Confirmed trainees of sessions ended in the period who stopped before the end."),
        ),
        _rate(
            "objective_achievement_rate",
            _("Objective-achievement rate"),
            answers["achieved"],
            answers["total"],
            period,
            _("Learning objectives rated “I can apply it” or above in the self-positioning after the course."),
        ),
    ]
