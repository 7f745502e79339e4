"""Attendance per half-day slot (feuille d'émargement): status and signatures.

An ``Attendance`` row records what happened for one trainee in one slot (present, absent, late,
left early, excused). A ``Signature`` is a drawn signature stored as vector strokes: the
trainee's for their own slot, the trainer's countersignature for the slot. Hours are credited for
a slot only when both exist (see ``academy.attendance.services.credited_hours``).

Attendance records and signatures are legal evidence for funders: they are never deleted while
retained (``academy.attendance.retention``), hence ``on_delete=PROTECT`` everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.enrolment.models import Enrolment
from academy.scheduling.models import SessionSlot, Trainer


class Attendance(models.Model):
    """What happened for one trainee (``enrolment``) in one half-day ``slot``.

    ``arrived_at`` (late) and ``left_at`` (left early) are aware datetimes inside the slot; the
    credited duration runs from ``max(slot start, arrived_at)`` to ``min(slot end, left_at)``.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        EXCUSED = "excused", _("Excused absence")

    slot = models.ForeignKey(
        SessionSlot, verbose_name=_("half-day slot"), on_delete=models.PROTECT, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PRESENT)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["slot__starts_at", "enrolment__last_name", "enrolment__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "enrolment"], name="attendance_one_per_slot_and_enrolment"),
            models.CheckConstraint(
                condition=~models.Q(status="late") | models.Q(arrived_at__isnull=False),
                name="attendance_late_has_arrival_time",
                violation_error_message=_("A late arrival needs the arrival time."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="left_early") | models.Q(left_at__isnull=False),
                name="attendance_left_early_has_departure_time",
                violation_error_message=_("An early departure needs the departure time."),
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s: %s" % (self.slot, self.enrolment.full_name, self.get_status_display())

    def delete(self, *args, **kwargs):
        """Refuse while the record is legal evidence under retention (see ``academy.attendance.retention``)."""
        from .retention import ensure_deletable

        if self.enrolment_id:
            ensure_deletable(enrolment=self.enrolment)
        return super().delete(*args, **kwargs)


class Signature(models.Model):
    """A drawn signature for one slot, stored as vector strokes with when, where from and how.

    ``strokes`` is ``{"width": w, "height": h, "strokes": [[[x, y], …], …]}`` in canvas pixels,
    validated by ``academy.attendance.strokes.validate_strokes``. A trainee signature names the
    ``enrolment``; a trainer countersignature names the ``trainer``. The database holds one
    trainee signature per (slot, enrolment) and one countersignature per (slot, trainer).
    """

    class Role(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        TRAINER = "trainer", _("Trainer")

    class Method(models.TextChoices):
        QR_CODE = "qr_code", _("QR code scanned in the room")
        PERSONAL_LINK = "personal_link", _("Personal signing link")
        KIOSK = "kiosk", _("Trainer's device passed around")
        TRAINER = "trainer", _("Trainer's countersignature")

    slot = models.ForeignKey(
        SessionSlot, verbose_name=_("half-day slot"), on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    trainer = models.ForeignKey(
        Trainer, verbose_name=_("trainer"), null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    strokes = models.JSONField(_("strokes"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["slot__starts_at", "role", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enrolment"],
                condition=models.Q(role="trainee"),
                name="signature_one_per_trainee_and_slot",
                violation_error_message=_("This trainee has already signed for this half-day."),
            ),
            models.UniqueConstraint(
                fields=["slot", "trainer"],
                condition=models.Q(role="trainer"),
                name="signature_one_per_trainer_and_slot",
                violation_error_message=_("This trainer has already countersigned this half-day."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role="trainee", enrolment__isnull=False, trainer__isnull=True)
                    | models.Q(role="trainer", enrolment__isnull=True, trainer__isnull=False)
                ),
                name="signature_names_its_signer",
            ),
        ]

    def __str__(self) -> str:
        who = self.enrolment.full_name if self.enrolment_id else str(self.trainer)
        return "%s — %s" % (self.slot, who)

    def delete(self, *args, **kwargs):
        """Refuse while the record is legal evidence under retention (see ``academy.attendance.retention``)."""
        from .retention import ensure_deletable

        if self.enrolment_id:
            ensure_deletable(enrolment=self.enrolment)
        else:
            for attendance in self.slot.attendances.select_related("enrolment"):
                ensure_deletable(enrolment=attendance.enrolment)
        return super().delete(*args, **kwargs)

    def svg(self) -> str:
        """Return the signature as a standalone SVG document (safe: numbers only)."""
        from .strokes import strokes_to_svg

        return strokes_to_svg(self.strokes)


class RetainedTraineeName(models.Model):
    """The name of an erased trainee, kept with their attendance evidence while it is retained.

    Erasure anonymises the enrolment, but an attendance sheet must still say who signed during
    the retention period (3 years after the end of the year of the last payment, see
    ``academy.attendance.retention``); the retention job deletes this row with the evidence.
    """

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="retained_name")
    full_name = models.CharField(_("trainee's name"), max_length=310)
    kept_since = models.DateTimeField(_("kept since"), auto_now_add=True)

    class Meta:
        verbose_name = _("trainee name kept as evidence")
        verbose_name_plural = _("trainee names kept as evidence")

    def __str__(self) -> str:
        return self.full_name


class AbsenceFollowUp(models.Model):
    """An absence detected from the signed attendance and its follow-up (Qualiopi indicator 12).

    Detected for a half-day the trainer countersigned without the trainee's signature, or marked
    absent. One per (enrolment, slot). The trainee is e-mailed once; staff record what was done.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To follow up")
        DONE = "done", _("Followed up")

    slot = models.ForeignKey(
        SessionSlot, verbose_name=_("half-day slot"), on_delete=models.PROTECT, related_name="absence_follow_ups"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="absence_follow_ups"
    )
    detected_at = models.DateTimeField(_("detected at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    message_sent_at = models.DateTimeField(_("message sent at"), null=True, blank=True)
    outcome = models.TextField(_("follow-up"), blank=True, help_text=_("What was done: call, new date, drop-out…"))
    done_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("absence follow-up")
        verbose_name_plural = _("absence follow-ups")
        ordering = ["slot__starts_at", "enrolment_id"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "enrolment"], name="absence_follow_up_once"),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(outcome=""),
                name="absence_follow_up_done_has_outcome",
                violation_error_message=_("Say what was done before closing the follow-up."),
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s" % (self.enrolment.full_name, self.slot)
