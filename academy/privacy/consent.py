"""Cookie consent: purposes, the consent cookie and its reading (CNIL deliberations 2020-091, 2020-092).

The choice — refusal included — lives in the ``academy_consent`` cookie, readable by the static
script ``privacy/consent.js`` so that a future tag is loaded only when its purpose is allowed::

    <banner version>.<unix time of the choice>.<pseudonymous id, 32 hex>.<purpose>:<0|1>|...

e.g. ``2026-1.1795000000.0f1e….audience:0|relationship:0|advertising:0`` (only characters a
cookie may hold unquoted). A cookie that does not
parse, carries another banner version or is older than ``CONSENT_LIFETIME`` (6 months, CNIL
recommendation) counts as "no choice yet", and the banner is shown again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "academy_consent"
BANNER_VERSION = "2026-1"
CONSENT_LIFETIME = timedelta(days=182)


@dataclass(frozen=True)
class Purpose:
    """A purpose the visitor may allow or refuse; ``scripts`` (static paths) run only once allowed.

    ``cookies`` names what the purpose's tags set, deleted when consent is withdrawn.
    """

    key: str
    label: str
    description: str
    scripts: tuple[str, ...] = ()
    cookies: tuple[str, ...] = ()


_BASE_PURPOSES = (
    Purpose(
        "audience",
        _("Audience measurement"),
        _("Measure how the site is used to improve it, with a third-party tool that sets cookies."),
    ),
    Purpose(
        "relationship",
        _("Relationship"),
        _("Keep in touch with you: remember your interests to send you useful content."),
    ),
    Purpose(
        "advertising",
        _("Advertising"),
        _("Show you advertising for our courses on other sites."),
    ),
)


def purposes() -> list[Purpose]:
    """Return the purposes, with the tags configured in ``ACADEMY_CONSENT_TAGS`` attached.

    ``ACADEMY_CONSENT_TAGS`` maps a purpose key to ``{"scripts": [static path…], "cookies": [name…]}``;
    the product ships none.
    """
    tags = getattr(settings, "ACADEMY_CONSENT_TAGS", {}) or {}
    found = []
    for purpose in _BASE_PURPOSES:
        extra = tags.get(purpose.key, {})
        found.append(
            Purpose(
                purpose.key,
                purpose.label,
                purpose.description,
                tuple(extra.get("scripts", ())),
                tuple(extra.get("cookies", ())),
            )
        )
    return found


def purpose_keys() -> list[str]:
    return [p.key for p in _BASE_PURPOSES]


@dataclass(frozen=True)
class ConsentState:
    """A visitor's consent as read from the cookie; ``chosen`` is False when no valid choice exists."""

    chosen: bool
    consent_id: str = ""
    given_at: datetime | None = None
    choices: dict[str, bool] = field(default_factory=dict)

    def allows(self, purpose_key: str) -> bool:
        """True only when a valid choice allowed ``purpose_key`` ("not chosen" allows nothing)."""
        return self.chosen and self.choices.get(purpose_key, False)

    @property
    def refused_all(self) -> bool:
        return self.chosen and not any(self.choices.values())


NO_CHOICE = ConsentState(chosen=False)

# Where optional tags may run, hence where consent is asked: the public site. Task pages reached by
# personal links (signing, answering, downloading) and staff pages never run optional tags, so
# they neither ask nor load them. Entries are URL namespaces or "namespace:name".
DEFAULT_PUBLIC_PAGES = (
    "catalog",
    "compliance",
    "privacy",
    "scheduling",
    "enrolment:enrol",
    "evaluation:indicators",
)


def is_public_page(request) -> bool:
    """True when ``request`` is for a public page where the banner and allowed tags belong.

    The list is ``ACADEMY_CONSENT_PAGES`` (default ``DEFAULT_PUBLIC_PAGES``); any path with a
    ``/staff/`` segment is a back-office page and excluded.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or "/staff/" in request.path:
        return False
    pages = set(getattr(settings, "ACADEMY_CONSENT_PAGES", DEFAULT_PUBLIC_PAGES))
    return match.namespace in pages or match.view_name in pages


_COOKIE_RE = re.compile(
    r"^(?P<version>[0-9A-Za-z-]{1,20})\.(?P<ts>[0-9]{1,12})\.(?P<id>[0-9a-f]{32})\.(?P<choices>[a-z:01|]{1,200})$"
)


def parse_consent(value: str | None, *, now: datetime | None = None) -> ConsentState:
    """Return the consent held by cookie ``value``; anything malformed, stale or expired is NO_CHOICE."""
    if not value or len(value) > 400:
        return NO_CHOICE
    match = _COOKIE_RE.match(value)
    if not match or match["version"] != BANNER_VERSION:
        return NO_CHOICE
    now = now or timezone.now()
    try:
        given_at = datetime.fromtimestamp(int(match["ts"]), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return NO_CHOICE
    if given_at > now + timedelta(minutes=5) or now - given_at > CONSENT_LIFETIME:
        return NO_CHOICE
    choices: dict[str, bool] = {}
    for part in match["choices"].split("|"):
        key, sep, flag = part.partition(":")
        if not sep or flag not in {"0", "1"} or key in choices:
            return NO_CHOICE
        choices[key] = flag == "1"
    if set(choices) != set(purpose_keys()):
        return NO_CHOICE
    return ConsentState(chosen=True, consent_id=match["id"], given_at=given_at, choices=choices)


def format_consent(state: ConsentState) -> str:
    """Return the cookie value for ``state`` (inverse of ``parse_consent``)."""
    assert state.given_at is not None
    flags = "|".join("%s:%d" % (key, 1 if state.choices.get(key) else 0) for key in purpose_keys())
    return "%s.%d.%s.%s" % (BANNER_VERSION, int(state.given_at.timestamp()), state.consent_id, flags)


def new_consent_id() -> str:
    """A random pseudonymous identifier (128 bits, hex), linking the cookie to its proof record."""
    return secrets.token_hex(16)


def consent_state(request) -> ConsentState:
    """Return (and cache on the request) the visitor's consent."""
    if not hasattr(request, "_academy_consent"):
        request._academy_consent = parse_consent(request.COOKIES.get(COOKIE_NAME))
    return request._academy_consent
