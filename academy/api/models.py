"""API tokens (stored hashed, scoped, expiring) and webhook endpoints with their delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.models import ClientOrganisation


class ApiToken(models.Model):
    """A credential for ``/api/v1/``, created by an administrator, shown once, kept only as a hash.

    ``prefix`` (12 characters, stored in clear) finds the row; ``secret_hash`` is the SHA-256 of the
    whole token (a 256-bit random value, so a fast hash is enough: nothing to brute-force). A token
    works from creation until ``expires_at`` unless revoked. Its ``scope`` bounds what it reaches.
    """

    class Scope(models.TextChoices):
        READ_ONLY = "read_only", _("Read only (everything, no change)")
        PLANNER = "planner", _("Planner (read and write, as a planner)")
        CLIENT = "client", _("One client organisation's own data")

    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. “CRM sync”."))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    client_organisation = models.ForeignKey(
        ClientOrganisation,
        verbose_name=_("client organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="client", client_organisation__isnull=False))
                | (~models.Q(scope="client") & models.Q(client_organisation__isnull=True)),
                name="api_token_client_scope_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return "%s (%s…)" % (self.name, self.prefix)

    def is_usable(self, now=None) -> bool:
        """True when the token is neither revoked nor expired at ``now`` (aware)."""
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class WebhookEndpoint(models.Model):
    """A URL that receives the events staff chose, each delivery signed with ``secret`` (HMAC-SHA256)."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("http or https only."),
    )
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or to send) to one endpoint, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Delivery failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=64)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, db_index=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.CharField(_("response (start)"), max_length=1000, blank=True)
    error = models.CharField(_("error"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return "%s → %s (%s)" % (self.event, self.endpoint, self.status)
