"""Evaluation: self-positioning before and after a course, end-of-course and follow-up surveys.

Kirkpatrick levels: the end-of-course survey is level 1 (reaction), self-positioning on the
learning objectives level 2 (learning), the follow-up survey level 3 (behaviour). Qualiopi
indicators 2 (public outcomes), 8 (positioning at entry), 11 (assessment of what was learnt) and
30 (appreciations collected) rest on these records.

Versioning: a questionnaire row is edited in place until someone answers it. When staff edit a
questionnaire that has responses, the answered state is first frozen into an archived copy which
keeps the responses (``services.freeze_answered_version``); the row being edited becomes the next
version. Answers therefore always point at the exact wording they answered.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.catalog.models import Course, LearningObjective
from academy.enrolment.models import Enrolment
from academy.scheduling.models import CourseSession


class QuestionnaireKind(models.TextChoices):
    POSITIONING_BEFORE = "positioning_before", _("Self-positioning before the course")
    POSITIONING_AFTER = "positioning_after", _("Self-positioning after the course")
    END_OF_COURSE = "end_of_course", _("End-of-course survey")
    FOLLOW_UP = "follow_up", _("Follow-up survey")
    CLIENT_FEEDBACK = "client_feedback", _("Client organisation questionnaire")
    TRAINER_REPORT = "trainer_report", _("Trainer's session report")


#: Questionnaires answered by trainees (one response per enrolment); the others are answered by a
#: client organisation or a trainer for a whole session (Qualiopi indicator 30).
TRAINEE_KINDS = (
    QuestionnaireKind.POSITIONING_BEFORE,
    QuestionnaireKind.POSITIONING_AFTER,
    QuestionnaireKind.END_OF_COURSE,
    QuestionnaireKind.FOLLOW_UP,
)
STAKEHOLDER_KINDS = (QuestionnaireKind.CLIENT_FEEDBACK, QuestionnaireKind.TRAINER_REPORT)


class Questionnaire(models.Model):
    """One version of the questionnaire of ``kind`` for ``course``.

    Exactly one version per (course, kind) is current: it is the one sent to trainees. Archived
    versions keep the responses given to them.
    """

    Kind = QuestionnaireKind

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="questionnaires"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=QuestionnaireKind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    title = models.CharField(_("title"), max_length=250)
    introduction = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["course", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["course", "kind", "version"], name="questionnaire_unique_version"),
            models.UniqueConstraint(
                fields=["course", "kind"], condition=models.Q(is_current=True), name="questionnaire_one_current"
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s (v%s)" % (self.course.code, self.get_kind_display(), self.version)


class Question(models.Model):
    """One item of a questionnaire, ordered by ``position``.

    ``level`` questions use ``scale_labels`` (value = index, from 0); ``score`` questions take 1–5;
    ``yes_no`` a boolean; ``text`` free text. ``key`` names the well-known items the figures
    read ("overall", "recommend"…); positioning questions point at their learning objective.
    """

    class Kind(models.TextChoices):
        LEVEL = "level", _("Level scale")
        SCORE = "score", _("Score from 1 to 5")
        YES_NO = "yes_no", _("Yes / no")
        TEXT = "text", _("Free text")

    SCORE_MIN = 1
    SCORE_MAX = 5

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("question"))
    key = models.SlugField(_("key"), max_length=40, blank=True, help_text=_("Used by reports and public figures."))
    learning_objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scale_labels = models.JSONField(
        _("scale labels"),
        default=list,
        blank=True,
        help_text=_("For a level scale: one label per level, from the lowest (0)."),
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.LEVEL and (
            not isinstance(self.scale_labels, list)
            or len(self.scale_labels) < 2
            or not all(isinstance(label, str) and label.strip() for label in self.scale_labels)
        ):
            raise ValidationError(
                {
                    "scale_labels": _(
                        'A level scale needs at least two labels, e.g. ["I do not know it", "I master it"].'
                    )
                }
            )

    @property
    def scale_bounds(self) -> tuple[int, int] | None:
        """``(min, max)`` of the accepted integer values, or None for yes/no and free text."""
        if self.kind == self.Kind.LEVEL:
            return (0, max(len(self.scale_labels) - 1, 0))
        if self.kind == self.Kind.SCORE:
            return (self.SCORE_MIN, self.SCORE_MAX)
        return None

    def choices(self) -> list[tuple[int, str]]:
        """The scale as ``[(value, label), …]`` for level and score questions."""
        if self.kind == self.Kind.LEVEL:
            return [(i, "%s — %s" % (i, label)) for i, label in enumerate(self.scale_labels)]
        if self.kind == self.Kind.SCORE:
            return [(i, str(i)) for i in range(self.SCORE_MIN, self.SCORE_MAX + 1)]
        return []


class Response(models.Model):
    """A trainee's answers to one questionnaire kind for one session.

    One per (enrolment, kind), held by a unique constraint (field case FC-08). After erasure the
    response is detached from the person (``enrolment`` null, ``anonymised_at`` set) and still
    counts in reports and public figures.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(_("kind"), max_length=30, choices=QuestionnaireKind.choices)
    course_session = models.ForeignKey(
        CourseSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="evaluation_responses"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    entered_by_trainer = models.BooleanField(_("entered by the trainer"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    respondent = models.CharField(
        _("respondent"),
        max_length=100,
        blank=True,
        help_text=_("For a client or trainer questionnaire: who answered for the session (organisation or trainer)."),
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["course_session", "kind", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                name="response_one_per_enrolment_and_kind",
                violation_error_message=_("This trainee has already answered this questionnaire."),
            ),
            models.UniqueConstraint(
                fields=["course_session", "kind", "respondent"],
                condition=models.Q(enrolment__isnull=True) & ~models.Q(respondent=""),
                name="response_one_per_session_kind_and_respondent",
                violation_error_message=_("This questionnaire has already been answered for this session."),
            ),
        ]
        indexes = [models.Index(fields=["course_session", "kind"])]

    def __str__(self) -> str:
        return "%s — %s" % (self.get_kind_display(), self.enrolment or _("anonymised"))


class Answer(models.Model):
    """The answer to one question: an integer (level, score), a boolean (yes/no) or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value_int = models.SmallIntegerField(_("value"), null=True, blank=True)
    value_bool = models.BooleanField(_("yes / no"), null=True, blank=True)
    value_text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")]

    def __str__(self) -> str:
        return str(self.display_value)

    @property
    def display_value(self):
        if self.value_int is not None:
            return self.value_int
        if self.value_bool is not None:
            return _("yes") if self.value_bool else _("no")
        return self.value_text


class Dispatch(models.Model):
    """One invitation (step 0) or reminder (step n) e-mailed for a questionnaire kind.

    The unique constraint makes sending idempotent: a periodic job that runs twice, late, or on two
    machines at once inserts the row first and sends only when the insert succeeded.
    """

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="evaluation_dispatches"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=QuestionnaireKind.choices)
    step = models.PositiveSmallIntegerField(_("step"), default=0, help_text=_("0 = invitation, 1… = reminders"))
    sent_at = models.DateTimeField(_("sent at"))
    email = models.ForeignKey(
        "core.OutboundEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation e-mail")
        verbose_name_plural = _("evaluation e-mails")
        ordering = ["enrolment", "kind", "step"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "kind", "step"], name="dispatch_once")]

    def __str__(self) -> str:
        return "%s %s #%s" % (self.enrolment_id, self.kind, self.step)


class DailySatisfaction(models.Model):
    """End-of-course figures of one course for one day (organisation's timezone), kept up to date.

    Why a per-day aggregate rather than a cached figure: the rolling window "last 12 months
    including today" moves every midnight, so a cached figure would need a refresh job exactly at
    local midnight to stay right; per-day rows make the course page read at most ~366 small rows in
    one SQL aggregate, whatever the number of answers, and are updated in the same transaction as
    the response (F() increments, safe under concurrency), so a figure is right the moment an
    answer is added or removed. Anonymising a response leaves its day's counts unchanged.
    ``rebuild_daily_satisfaction`` recomputes the rows from the responses (after bulk imports).
    """

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    score_count = models.PositiveIntegerField(_("number of scores"), default=0)
    score_sum = models.PositiveIntegerField(_("sum of scores"), default=0)
    satisfied_count = models.PositiveIntegerField(
        _("satisfied answers"), default=0, help_text=_("Overall scores of 4 or 5.")
    )
    recommend_answers = models.PositiveIntegerField(_("answers on recommendation"), default=0)
    recommend_yes = models.PositiveIntegerField(_("would recommend"), default=0)

    class Meta:
        verbose_name = _("daily satisfaction")
        verbose_name_plural = _("daily satisfaction")
        constraints = [models.UniqueConstraint(fields=["course", "day"], name="daily_satisfaction_unique_day")]

    def __str__(self) -> str:
        return "%s %s" % (self.course_id, self.day)


class PastSatisfaction(models.Model):
    """End-of-course figures of a course collected before Academy (or outside it), over a period.

    An organisation moving to Academy brings its own figures: how many reviews, their mean score
    out of 5, how many answered the recommendation question and how many would recommend. The
    public figure adds them to the answers collected in Academy under the same rules: it counts
    while the whole period lies in the last 12 months, and the mean of all reviews is rounded
    half-up to 2 decimals (``satisfaction_figure``).
    """

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField(_("first day of the period"))
    last_day = models.DateField(_("last day of the period"))
    score_count = models.PositiveIntegerField(_("number of reviews"))
    mean_score = models.DecimalField(
        _("mean score out of 5"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    satisfied_count = models.PositiveIntegerField(
        _("satisfied reviews (4 or 5)"), null=True, blank=True, help_text=_("Leave empty when unknown.")
    )
    recommend_answers = models.PositiveIntegerField(_("answers on recommendation"), default=0)
    recommend_yes = models.PositiveIntegerField(_("would recommend"), default=0)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("past satisfaction figure")
        verbose_name_plural = _("past satisfaction figures")
        ordering = ["course", "-last_day"]
        constraints = [
            models.UniqueConstraint(fields=["course", "first_day", "last_day"], name="past_satisfaction_once"),
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")), name="past_period_ordered"),
            models.CheckConstraint(condition=models.Q(score_count__gte=1), name="past_satisfaction_has_reviews"),
            models.CheckConstraint(
                condition=models.Q(mean_score__gte=1, mean_score__lte=5), name="past_satisfaction_mean_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(recommend_yes__lte=models.F("recommend_answers")),
                name="past_recommend_yes_not_above_answers",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfied_count__isnull=True)
                | models.Q(satisfied_count__lte=models.F("score_count")),
                name="past_satisfied_not_above_reviews",
            ),
        ]

    def __str__(self) -> str:
        return "%s %s–%s" % (self.course_id, self.first_day, self.last_day)
