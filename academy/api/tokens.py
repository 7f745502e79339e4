"""Create, find and revoke API tokens. A token is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from academy.core.audit import record_event

from .models import ApiToken

#: Every token starts with this marker, so secret scanners and people recognise it.
TOKEN_MARKER = "acad"
#: Longest lifetime an administrator may give a token (days).
MAX_LIFETIME_DAYS = 730


def hash_token(raw: str) -> str:
    """Return the SHA-256 (64 hex) of the whole token ``raw``."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(*, name: str, scope: str, expires_at: datetime.datetime, by, client_organisation=None):
    """Create a token and return ``(ApiToken, raw)``; ``raw`` is shown once and never stored.

    ``raw`` is ``acad_<prefix>_<secret>`` (prefix 12 hex, secret 43 URL-safe characters, 256 bits).
    Raises ValueError when a client scope has no organisation, another scope has one, or
    ``expires_at`` is not in the future.
    """
    if (scope == ApiToken.Scope.CLIENT) != (client_organisation is not None):
        raise ValueError("A client-scoped token needs exactly one client organisation; other scopes none.")
    if expires_at <= timezone.now():
        raise ValueError("The expiry must be in the future.")
    prefix = secrets.token_hex(6)
    raw = "%s_%s_%s" % (TOKEN_MARKER, prefix, secrets.token_urlsafe(32))
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            scope=scope,
            client_organisation=client_organisation,
            prefix=prefix,
            secret_hash=hash_token(raw),
            created_by=by,
            expires_at=expires_at,
        )
        record_event(
            "api_token.created",
            obj=token,
            actor=by,
            data={"scope": scope, "client_organisation": getattr(client_organisation, "pk", None)},
        )
    return token, raw


def find_token(raw: str) -> ApiToken | None:
    """Return the usable token whose value is ``raw``, or None (unknown, forged, revoked or expired)."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARKER or len(parts[1]) != 12:
        return None
    token = ApiToken.objects.select_related("client_organisation").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw)):
        return None
    return token if token.is_usable() else None


def revoke_token(*, token: ApiToken, by) -> bool:
    """Revoke ``token`` now; False when it was already revoked."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if updated:
            record_event("api_token.revoked", obj=token, actor=by, data={"scope": token.scope})
    return bool(updated)
