"""Signed, expiring tokens for links sent by e-mail.

Built on Django's ``TimestampSigner``: the payload is signed with ``SECRET_KEY`` and a salt per
purpose, so a token made for one purpose is refused for another, and refused once ``max_age``
has passed.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core import signing
from django.utils import timezone


class InvalidToken(Exception):
    """The token is malformed, tampered with, made for another purpose, or expired."""


def make_token(purpose: str, payload: Any) -> str:
    """Return a URL-safe signed token carrying ``payload`` (JSON-serialisable) for ``purpose``."""
    return signing.dumps(payload, salt="academy.%s" % purpose, compress=True)


def read_token(purpose: str, token: str, max_age: timedelta) -> Any:
    """Return the payload of ``token`` made for ``purpose`` no longer than ``max_age`` ago.

    Raises InvalidToken when the token is malformed, tampered with, for another purpose or expired.
    """
    try:
        return signing.loads(token, salt="academy.%s" % purpose, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidToken("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidToken("invalid") from exc


def _fernet(purpose: str):
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from django.conf import settings
    from django.utils.encoding import force_bytes

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=force_bytes("academy.sealed.%s" % purpose))
    return Fernet(base64.urlsafe_b64encode(key.derive(force_bytes(settings.SECRET_KEY))))


def make_sealed_token(purpose: str, payload: Any) -> str:
    """Return a URL-safe token carrying ``payload`` encrypted and authenticated for ``purpose``.

    Unlike ``make_token``, whose payload anyone can read, nothing of ``payload`` can be read
    without ``SECRET_KEY``: use it when a link must not reveal what it carries (an address in a URL
    ends up in access logs and browser history). Fernet: AES-128-CBC and HMAC-SHA256, key derived
    from ``SECRET_KEY`` and ``purpose`` with HKDF (RFC 5869).
    """
    now = int(timezone.now().timestamp())
    return _fernet(purpose).encrypt_at_time(json.dumps(payload).encode(), now).decode()


def read_sealed_token(purpose: str, token: str, max_age: timedelta) -> Any:
    """Return the payload of a ``make_sealed_token`` token for ``purpose``, made no longer than ``max_age`` ago.

    Raises InvalidToken when the token is malformed, tampered with, for another purpose or expired.
    """
    from cryptography.fernet import InvalidToken as FernetInvalidToken

    try:
        data = _fernet(purpose).decrypt_at_time(
            token.encode(), ttl=int(max_age.total_seconds()), current_time=int(timezone.now().timestamp())
        )
    except (FernetInvalidToken, ValueError, UnicodeError) as exc:
        raise InvalidToken("invalid or expired") from exc
    return json.loads(data)
