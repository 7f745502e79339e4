"""Compliance records the other apps do not hold: complaints, improvement actions, watch, indicator
settings and evidence packs (Qualiopi); the yearly report (BPF) of each financial year.

Sources: Code du travail L6316-1 and R6316-1; the national quality reference (référentiel
national qualité, décret 2019-564): indicators 23–25 (watch), 31 (complaints), 32 (improvement).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from academy.core.models import TimeStampedModel
from academy.scheduling.models import CourseSession


class Complaint(TimeStampedModel):
    """A complaint (réclamation) received, answered and closed (Qualiopi indicator 31).

    A complaint cannot be closed without an answer: the database refuses it.
    """

    class Source(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        CLIENT = "client", _("Client organisation")
        FUNDER = "funder", _("Funder (OPCO, public funder…)")
        TRAINER = "trainer", _("Trainer")
        PUBLIC = "public", _("Member of the public")
        OTHER = "other", pgettext_lazy("source", "Other")

    class Channel(models.TextChoices):
        WEB_FORM = "web_form", _("Form on the website")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        MAIL = "mail", _("Letter")
        IN_PERSON = "in_person", _("In person")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB_FORM)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    subject = models.CharField(_("object"), max_length=200)
    description = models.TextField(_("description"))
    course_session = models.ForeignKey(
        CourseSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    received_at = models.DateTimeField(_("received at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True)
                | (~models.Q(answer="") & models.Q(answered_at__isnull=False)),
                name="complaint_closed_only_when_answered",
                violation_error_message=_("A complaint cannot be closed without an answer."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="complaint_closed_status_has_date",
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s" % (self.reference, self.subject)


class WatchEntry(TimeStampedModel):
    """A dated watch entry (veille) with its source and the action it led to (Qualiopi indicators 23–25)."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal and regulatory watch")
        SKILLS = "skills", _("Skills, trades and jobs watch")
        PEDAGOGICAL = "pedagogical", _("Pedagogical and technological watch")

    #: Qualiopi indicator of each kind of watch.
    INDICATORS = {Kind.LEGAL: 23, Kind.SKILLS: 24, Kind.PEDAGOGICAL: 25}

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    noted_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=250)
    source = models.CharField(_("source"), max_length=300, help_text=_("Publication, website, event, network…"))
    summary = models.TextField(_("what it says"), blank=True)
    action_led_to = models.TextField(_("action it led to"), blank=True, help_text=_("Or why no action is needed."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("watch entry")
        verbose_name_plural = _("watch entries")
        ordering = ["-noted_on", "-pk"]

    def __str__(self) -> str:
        return "%s — %s" % (self.noted_on, self.title)


class ImprovementAction(TimeStampedModel):
    """An improvement action linked to what caused it, with owner, due date, status and effect (indicator 32).

    The owner and the due date are required (database columns are not nullable); a closed action
    states its effect.
    """

    class Cause(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SURVEY = "survey", _("Survey result")
        AUDIT = "audit", _("Audit finding")
        WATCH = "watch", _("Watch item")
        OTHER = "other", pgettext_lazy("cause", "Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    CLOSED_STATUSES = (Status.DONE, Status.ABANDONED)

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    cause_detail = models.TextField(
        _("cause details"), blank=True, help_text=_("The survey result or audit finding that led to the action.")
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    watch_entry = models.ForeignKey(
        WatchEntry,
        verbose_name=_("watch entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    course_session = models.ForeignKey(
        CourseSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    effect = models.TextField(_("effect"), blank=True, help_text=_("What changed, measured how."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["status", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(effect=""),
                name="improvement_action_done_has_effect",
                violation_error_message=_("Say what the action changed before marking it done."),
            ),
            models.CheckConstraint(
                condition=~models.Q(cause="complaint") | models.Q(complaint__isnull=False),
                name="improvement_action_complaint_cause_linked",
                violation_error_message=_("Choose the complaint that caused this action."),
            ),
            models.CheckConstraint(
                condition=~models.Q(cause="watch") | models.Q(watch_entry__isnull=False),
                name="improvement_action_watch_cause_linked",
                violation_error_message=_("Choose the watch entry that caused this action."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES


class IndicatorSetting(models.Model):
    """Whether a Qualiopi indicator applies to the organisation, and why not when it does not."""

    number = models.PositiveSmallIntegerField(_("indicator"), unique=True)
    applicable = models.BooleanField(_("applicable"), default=True)
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)

    class Meta:
        verbose_name = _("indicator setting")
        verbose_name_plural = _("indicator settings")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applicable=True) | ~models.Q(not_applicable_reason=""),
                name="indicator_not_applicable_has_reason",
                violation_error_message=_("Say why the indicator does not apply."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=32), name="indicator_number_in_reference"
            ),
        ]

    def __str__(self) -> str:
        return str(self.number)


def evidence_pack_upload_to(instance: EvidencePack, filename: str) -> str:
    return "evidence-packs/%s/%s" % (instance.pk, filename)


class EvidencePack(models.Model):
    """A ZIP of the evidence an auditor asks for, for one session or one audit period, built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    course_session = models.ForeignKey(
        CourseSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_packs",
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    file = models.FileField(_("file"), upload_to=evidence_pack_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence pack")
        verbose_name_plural = _("evidence packs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course_session__isnull=False)
                | (models.Q(period_start__isnull=False) & models.Q(period_end__isnull=False)),
                name="evidence_pack_has_scope",
            ),
        ]

    def __str__(self) -> str:
        if self.course_session_id:
            return str(self.course_session)
        return "%s – %s" % (self.period_start.strftime("%d/%m/%Y"), self.period_end.strftime("%d/%m/%Y"))

    @property
    def progress_pct(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.steps_total:
            return 0
        return min(self.steps_done * 100 // self.steps_total, 99)


def _euros(verbose_name, **kwargs) -> models.DecimalField:
    """An optional amount in euros entered by staff, never negative (BPF frame D and turnover)."""
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


class BpfReport(TimeStampedModel):
    """The yearly report of one financial year (bilan pédagogique et financier, Cerfa 10443).

    Most figures are computed from stored facts (``academy.compliance.bpf.figures``); the
    charges (frame D) and the organisation's whole turnover come from the accounts and are
    entered here. Once filed the year is locked: ``snapshot`` keeps the figures as filed (the
    JSON of ``Bpf.figures()``) and later corrections are shown as differences from it.
    """

    starts_on = models.DateField(_("financial year starts on"), unique=True)
    ends_on = models.DateField(_("financial year ends on"))
    charges_total = _euros(_("total charges of the training activity (€)"))
    charges_salaries = _euros(_("of which trainers' salaries (€)"))
    charges_purchases = _euros(_("of which purchases of training services and fees (€)"))
    turnover_total = _euros(
        _("whole turnover of the organisation (€)"),
        help_text=_("All activities together, to give the share of vocational training."),
    )
    locked_at = models.DateTimeField(_("filed and locked at"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("locked by"),
    )
    snapshot = models.JSONField(_("figures as filed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("yearly report (BPF)")
        verbose_name_plural = _("yearly reports (BPF)")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="bpf_year_ends_after"),
            models.CheckConstraint(
                condition=models.Q(locked_at__isnull=True) | models.Q(snapshot__isnull=False),
                name="bpf_locked_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return "BPF %s – %s" % (self.starts_on.isoformat(), self.ends_on.isoformat())

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None
