"""Signed, expiring tokens for links sent by e-mail.

Built on Django's ``TimestampSigner``: the payload is signed with ``SECRET_KEY`` and a salt per
purpose, so a token made for one purpose is refused for another, and refused once ``max_age``
has passed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing


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
