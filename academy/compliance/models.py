"""Compliance records: the yearly report (BPF) of each financial year, with what staff enter and,
once filed, the figures as filed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.core.models import TimeStampedModel


class BpfReport(TimeStampedModel):
    """The yearly report of one financial year (bilan pédagogique et financier, Cerfa 10443).

    Most figures are computed from stored facts (``academy.compliance.bpf.figures``); the
    charges (frame D) and the organisation's whole turnover come from the accounts and are
    entered here. Once filed the year is locked: ``snapshot`` keeps the figures as filed (the
    JSON of ``Bpf.figures()``) and later corrections are shown as differences from it.
    """

    starts_on = models.DateField(_("financial year starts on"), unique=True)
    ends_on = models.DateField(_("financial year ends on"))
    charges_total = models.DecimalField(
        _("total charges of the training activity (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    charges_salaries = models.DecimalField(
        _("of which trainers' salaries (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    charges_purchases = models.DecimalField(
        _("of which purchases of training services and fees (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    turnover_total = models.DecimalField(
        _("whole turnover of the organisation (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
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
