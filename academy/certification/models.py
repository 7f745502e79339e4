"""Certificates of completion (certificats de réalisation) and their issuing batches.

A certificate is a snapshot: the names, course, dates and hours printed on its PDF are stored on
the row so the public verification page shows exactly what was issued. Corrections create a new
version and mark the previous one superseded; at most one version per enrolment is current
(database constraint, FC-08). Certificates are legal evidence: never deleted while retained.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from academy.enrolment.models import Enrolment
from academy.scheduling.models import CourseSession


def new_public_id() -> str:
    """Return 128 random bits as 32 lower-case hex digits: the unguessable verification identifier."""
    return secrets.token_hex(16)


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    return "certificates/%s/%s.pdf" % (instance.issued_at.strftime("%Y"), instance.public_id)


class Certificate(models.Model):
    """One issued version of a trainee's certificate of completion (Ministry of Labour model)."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Valid")
        SUPERSEDED = "superseded", _("Superseded by a corrected version")
        REVOKED = "revoked", _("Revoked")

    class Nature(models.TextChoices):
        """Nature of the action, Code du travail L.6313-1 (exactly one is ticked on the model)."""

        TRAINING = "training", _("training action")
        SKILLS_ASSESSMENT = "skills_assessment", _("skills assessment")
        VAE = "vae", _("validation of prior experience (VAE) action")
        APPRENTICESHIP = "apprenticeship", _("apprenticeship training action")

    public_id = models.CharField(
        _("verification identifier"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificates"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CURRENT)
    nature = models.CharField(_("nature of the action"), max_length=20, choices=Nature.choices, default=Nature.TRAINING)
    holder_name = models.CharField(_("holder's name"), max_length=310)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_address = models.TextField(_("employer's address"), blank=True)
    course_title = models.CharField(_("course title"), max_length=250)
    issuer_name = models.CharField(_("issuer"), max_length=200)
    first_date = models.DateField(_("first attended day"))
    last_date = models.DateField(_("last attended day"))
    hours = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=2)
    place = models.CharField(_("place"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.CharField(_("correction reason"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=300, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate of completion")
        verbose_name_plural = _("certificates of completion")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(status="current"),
                name="certificate_one_current_per_enrolment",
                violation_error_message=_("This trainee already has a current certificate."),
            ),
            models.UniqueConstraint(fields=["enrolment", "version"], name="certificate_unique_version"),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="certificate_hours_not_negative"),
            models.CheckConstraint(
                condition=models.Q(last_date__gte=models.F("first_date")), name="certificate_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s (v%d)" % (self.holder_name, self.course_title, self.version)

    def delete(self, *args, **kwargs):
        """Refuse while the certificate is legal evidence under retention (``academy.attendance.retention``)."""
        from academy.attendance.retention import ensure_deletable

        ensure_deletable(enrolment=self.enrolment)
        return super().delete(*args, **kwargs)

    def get_verification_url(self) -> str:
        return reverse("certification:verify", args=[self.public_id])


class CertificateBatch(models.Model):
    """Issuing the certificates of a whole session in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    course_session = models.ForeignKey(
        CourseSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="certificate_batches"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("trainees"), default=0)
    done = models.PositiveIntegerField(_("issued"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "%s (%s/%s)" % (self.course_session, self.done + self.skipped, self.total)

    @property
    def progress_pct(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return (self.done + self.skipped) * 100 // self.total


def attestation_upload_to(instance: Attestation, filename: str) -> str:
    return "attestations/%s/%s.pdf" % (instance.issued_at.strftime("%Y"), instance.certificate.public_id)


class Attestation(models.Model):
    """The end-of-training attestation of one trainee, issued with each certificate version.

    Code du travail L6353-1: at the end of the action the organisation gives the trainee an
    attestation stating the objectives, the nature and the duration of the action and the results
    of the evaluation of the learning outcomes. Like the certificate, it is a snapshot: what was
    printed is stored on the row (``objectives`` and ``results`` as lists of strings / dicts).
    """

    certificate = models.OneToOneField(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="attestation"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attestations"
    )
    holder_name = models.CharField(_("holder's name"), max_length=310)
    course_title = models.CharField(_("course title"), max_length=250)
    nature = models.CharField(_("nature of the action"), max_length=20, choices=Certificate.Nature.choices)
    hours = models.DecimalField(_("duration (hours attended)"), max_digits=6, decimal_places=2)
    planned_hours = models.DecimalField(_("planned duration (hours)"), max_digits=6, decimal_places=2, default=0)
    first_date = models.DateField(_("first attended day"))
    last_date = models.DateField(_("last attended day"))
    objectives = models.JSONField(_("objectives"), default=list)
    results = models.JSONField(
        _("results of the evaluation"),
        default=list,
        help_text=_('One item per objective: {"objective": …, "before": …, "after": …, "achieved": true/false/null}.'),
    )
    issued_at = models.DateTimeField(_("issued at"))
    pdf = models.FileField(_("PDF"), upload_to=attestation_upload_to, blank=True)

    class Meta:
        verbose_name = _("end-of-training attestation")
        verbose_name_plural = _("end-of-training attestations")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="attestation_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return "%s — %s" % (self.holder_name, self.course_title)

    @property
    def is_current(self) -> bool:
        return self.certificate.status == Certificate.Status.CURRENT
