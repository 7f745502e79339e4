"""Shared base: the training organisation's identity, client organisations, audit log, e-mails."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base adding ``created_at`` and ``updated_at`` (aware, UTC)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TrainingOrganisation(models.Model):
    """The provider running the catalogue (organisme de formation).

    One row, loaded from ``catalogue/organisation.yaml`` by ``import_catalogue``: identity is data,
    not code. Legal identifiers follow Code du travail L.6351-1 (declaration number, NDA) and the
    SIRENE register (SIRET, 14 digits).
    """

    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    declaration_number = models.CharField(_("declaration number (NDA)"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    legal_representative_title = models.CharField(_("legal representative's title"), max_length=200, blank=True)
    accessibility_referent_name = models.CharField(_("accessibility referent"), max_length=200, blank=True)
    accessibility_referent_email = models.EmailField(_("accessibility referent's e-mail"), blank=True)
    accessibility_referent_phone = models.CharField(_("accessibility referent's phone"), max_length=40, blank=True)
    accessibility_policy_url = models.URLField(_("accessibility policy URL"), blank=True)
    dpo_email = models.EmailField(_("data protection contact"), blank=True)
    host_name = models.CharField(_("host"), max_length=200, blank=True, help_text=_("Web host, for the legal notice."))
    timezone = models.CharField(_("timezone"), max_length=64, default="Europe/Paris")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("first month of the financial year"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 for a financial year from January to December; the yearly report (BPF) covers it."),
    )
    source_checksum = models.CharField(
        _("organisation file checksum"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("SHA-256 of organisation.yaml last imported; an unchanged file is not imported again."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training organisation")
        verbose_name_plural = _("training organisation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="organisation_fiscal_year_start_month_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse an invalid SIRET (14 digits, Luhn) or declaration number (11 digits); store them without spaces."""
        from django.core.exceptions import ValidationError

        from .validators import normalise_declaration_number, normalise_siret

        errors = {}
        for name, normalise in (("siret", normalise_siret), ("declaration_number", normalise_declaration_number)):
            value = getattr(self, name)
            if not value.strip():
                setattr(self, name, "")
                continue
            try:
                setattr(self, name, normalise(value))
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> TrainingOrganisation:
        """Return the organisation row, or an unsaved placeholder named "Academy" when none is loaded."""
        return cls.objects.order_by("pk").first() or cls(name="Academy")

    @classmethod
    def for_request(cls, request) -> TrainingOrganisation:
        """Return ``current()``, read once per request and kept on it (pages, context processor, views)."""
        if not hasattr(request, "_academy_organisation"):
            request._academy_organisation = cls.current()
        return request._academy_organisation


class ClientOrganisation(TimeStampedModel):
    """An employer or other organisation whose people are trained (entreprise cliente)."""

    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("client organisation")
        verbose_name_plural = _("client organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditLogEntry(models.Model):
    """One read or change of personal data, certificates or attendance (GDPR art. 5(2), accountability)."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        ERASE = "erase", _("erased")
        REFUSE = "refuse", _("refused")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("actor label"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    event = models.CharField(
        _("event"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Typed event name (academy.core.audit.AUDIT_EVENTS); empty on entries older than typed events."),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("object kind"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person_ref = models.CharField(
        _("person reference"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("Keyed pseudonym of the e-mail of the person the event is about, never the address itself."),
    )

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["content_type", "object_id"], name="core_audit_ref_idx"),
        ]

    def __str__(self) -> str:
        return "%s %s %s:%s" % (self.at, self.event or self.action, self.object_type, self.object_id)


class OutboundEmail(TimeStampedModel):
    """An e-mail queued by the product; kept so staff can read every message sent.

    Delivery happens in a background task (``academy.core.tasks.deliver_email``), never in a web
    request. ``attachments`` is a list of ``{"filename", "mimetype", "content_b64"}``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.JSONField(_("recipients"), default=list)
    display_names = models.JSONField(
        _("display names"),
        default=dict,
        blank=True,
        help_text=_("Display name of each recipient or reply-to address that has one, by address."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When a failed delivery is tried again; empty once sent or given up."),
    )

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    @property
    def given_up(self) -> bool:
        """True when delivery failed and no further attempt is planned."""
        return self.status == self.Status.FAILED and self.next_attempt_at is None


class PeriodicRun(models.Model):
    """One claim of one periodic job for one due time, by the first node to reach it.

    ``manage.py run_periodic_work`` runs on every node (timer or cron); the unique constraint on
    (job, due time) lets exactly one of them enqueue a job per due time (academy.core.scheduler).
    """

    job = models.CharField(_("job"), max_length=100)
    due_at = models.DateTimeField(_("due time"))
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    node = models.CharField(_("node"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        ordering = ["-due_at", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="core_periodic_run_once_per_due_time")]

    def __str__(self) -> str:
        return "%s @ %s" % (self.job, self.due_at.isoformat())
