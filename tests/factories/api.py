"""API tokens and webhook endpoints for tests (through the same service as the staff page)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from academy.api.models import ApiToken, WebhookEndpoint
from academy.api.tokens import create_token
from academy.api.webhooks import new_secret


def api_token(scope: str = ApiToken.Scope.PLANNER, *, organisation=None, days: int = 30, name: str = "Test"):
    """Return ``(ApiToken, raw value)`` valid for ``days`` days."""
    return create_token(
        name=name,
        scope=scope,
        client_organisation=organisation,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        by=None,
    )


def webhook_endpoint(url: str, events=("enrolment.confirmed",), **kwargs) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(name="Récepteur", url=url, events=list(events), secret=new_secret(), **kwargs)
