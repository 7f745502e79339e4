"""Page cache for anonymous visitors of public pages, invalidated on commit.

A public view decorated with :func:`cache_public_page` is rendered once per *scope versions*,
language, host and full path, then served from the cache (``ACADEMY_PAGE_CACHE`` alias,
``default`` — local memory, or Redis when ``REDIS_URL`` is set) to every anonymous visitor.

What never enters the cache:

* anything of one visitor: the page is cached only for requests carrying no session cookie and
  no pending message (so no signed-in user, no flash message);
* the CSRF token: pages are rendered with a placeholder, replaced on each hit by the visitor's
  own token (and the CSRF cookie is then set for that visitor, as on an uncached page);
* the consent banner: it is rendered with a placeholder too, and the banner matching the
  visitor's own consent cookie is rendered on each hit (consent state never varies the key).

A *scope* names what a page shows (``"site"``, ``"catalogue"``, ``"course:COMNUM"``). Each has a
version in the cache; :func:`invalidate` gives new versions to scopes when the current transaction
commits (``transaction.on_commit``), so the next request renders the page again. Versions are
random, so a lost version key can never bring an old page back. Pages also expire after
``ACADEMY_PAGE_CACHE_SECONDS`` (default 300 s), which bounds how long time-dependent content
(a session whose enrolment closes at a given hour) may stay.

With local memory, each server process has its own cache: run several processes with
``REDIS_URL`` set so that an invalidation reaches them all.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation

#: Placeholders written in place of per-visitor parts while a page is rendered for the cache.
CSRF_PLACEHOLDER = "academy-page-cache-csrf-placeholder"
CONSENT_PLACEHOLDER = "<!--academy-page-cache-consent-banner-->"
#: The consent cookie (``academy.privacy.consent.COOKIE_NAME``, a higher app): a visitor without
#: it gets the "no choice yet" banner rendered once with the page.
CONSENT_COOKIE_NAME = "academy_consent"
#: Response headers kept with a cached page.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
_VERSION_PREFIX = "pagecache:v:"
#: Sent once a transaction that invalidated scopes commits, with ``scopes`` (a tuple of scope
#: names): apps that keep something derived from public pages (the catalogue's course page
#: snapshots) follow the same knowledge of what changed, without repeating it.
scopes_invalidated = Signal()
_PAGE_PREFIX = "pagecache:p:"
logger = logging.getLogger(__name__)


def _cache():
    return caches[getattr(settings, "ACADEMY_PAGE_CACHE", "default")]


def enabled() -> bool:
    return getattr(settings, "ACADEMY_PAGE_CACHE_ENABLED", True)


def timeout() -> int:
    return int(getattr(settings, "ACADEMY_PAGE_CACHE_SECONDS", 300))


def _new_version() -> str:
    return secrets.token_hex(6)


def scope_versions(scopes: Iterable[str]) -> list[str]:
    """Return the current version of each scope (creating missing ones), in the given order."""
    scopes = list(scopes)
    keys = [_VERSION_PREFIX + scope for scope in scopes]
    cache = _cache()
    found = cache.get_many(keys)
    versions = []
    for key in keys:
        version = found.get(key)
        if version is None:
            cache.add(key, _new_version(), None)
            version = cache.get(key) or _new_version()
        versions.append(version)
    return versions


#: True while stored data is being restored (``derived_work_suspended``): pages are still
#: invalidated, but receivers of ``scopes_invalidated`` (course page snapshots) are not told, since
#: restoring records what was, it publishes nothing new.
_derived_work_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("derived_work_suspended", default=False)


@contextlib.contextmanager
def derived_work_suspended():
    """Within this block (a restore of a backup), invalidations send no ``scopes_invalidated``."""
    token = _derived_work_suspended.set(True)
    try:
        yield
    finally:
        _derived_work_suspended.reset(token)


def _bump(scopes: tuple[str, ...]) -> None:
    _cache().set_many({_VERSION_PREFIX + scope: _new_version() for scope in scopes}, None)
    if _derived_work_suspended.get():
        return
    # A receiver's failure must not turn a committed change into an error page.
    for receiver, result in scopes_invalidated.send_robust(sender=None, scopes=scopes):
        if isinstance(result, Exception):
            logger.error("Page-cache invalidation receiver %r failed: %s", receiver, result, exc_info=result)


def invalidate(*scopes: str) -> None:
    """Give ``scopes`` new versions once the current transaction commits (at once outside one).

    Pages cached under the old versions are never served again. A rolled back change
    invalidates nothing.
    """
    scopes = tuple(dict.fromkeys(scope for scope in scopes if scope))
    if scopes:
        transaction.on_commit(functools.partial(_bump, scopes))


def release_stamp() -> str:
    """A stamp of the deployed translations: a new catalogue (``.mo``) gives every page a new key."""
    return getattr(settings, "ACADEMY_PAGE_CACHE_RELEASE", "")


def request_is_cacheable(request: HttpRequest) -> bool:
    """True for an anonymous GET/HEAD with no session and no pending message."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGES_COOKIE_NAME", "messages") in cookies:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _page_key(request: HttpRequest, name: str, scopes: list[str]) -> str:
    versions = scope_versions(scopes)
    raw = "|".join(
        [
            name,
            release_stamp(),
            translation.get_language() or "",
            request.get_host(),
            "https" if request.is_secure() else "http",
            request.get_full_path(),
            *versions,
        ]
    )
    return _PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def context_processor(request: HttpRequest) -> dict:
    """While a page is rendered for the cache, put placeholders in place of per-visitor parts."""
    if getattr(request, "_academy_page_cache_render", False):
        return {"csrf_token": CSRF_PLACEHOLDER, "page_cache_render": True}
    return {}


def _consent_banner(request: HttpRequest, token: str, organisation: dict) -> str:
    # The banner names the organisation only: its name is kept with the page (no query on a hit).
    return render_to_string(
        "privacy/_consent_banner.html", {"request": request, "organisation": organisation, "csrf_token": token}
    )


def _serve(request: HttpRequest, entry: dict) -> HttpResponse:
    content: bytes = entry["content"]
    if entry.get("text"):
        placeholder = CSRF_PLACEHOLDER.encode()
        banner = CONSENT_PLACEHOLDER.encode()
        if banner in content:
            if CONSENT_COOKIE_NAME in request.COOKIES or "banner" not in entry:
                own = _consent_banner(request, CSRF_PLACEHOLDER, entry.get("organisation", {})).encode()
            else:
                own = entry["banner"]
            content = content.replace(banner, own)
        if placeholder in content:
            content = content.replace(placeholder, get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for header, value in entry["headers"].items():
        response[header] = value
    response["X-Page-Cache"] = entry.get("state", "hit")
    return response


def _newcomer_banner(request: HttpRequest, organisation: dict) -> bytes:
    """The banner a visitor with no consent cookie sees on this page (CSRF left as a placeholder)."""
    newcomer = copy.copy(request)
    newcomer.COOKIES = {name: value for name, value in request.COOKIES.items() if name != CONSENT_COOKIE_NAME}
    return _consent_banner(newcomer, CSRF_PLACEHOLDER, organisation).encode()


def cache_public_page(scopes: Callable[..., Iterable[str]], *, name: str = ""):
    """Decorate a public GET view so anonymous visitors are served from the page cache.

    ``scopes(**view_kwargs)`` lists the scopes the page shows. Only 200 responses are cached.
    The response carries ``X-Page-Cache: hit|miss`` (``bypass`` when the visitor is not anonymous).
    """

    def decorator(view):
        view_name = name or "%s.%s" % (view.__module__, view.__qualname__)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request_is_cacheable(request):
                response = view(request, *args, **kwargs)
                response["X-Page-Cache"] = "bypass"
                return response
            key = _page_key(request, view_name, list(scopes(**kwargs)))
            cache = _cache()
            entry = cache.get(key)
            if entry is not None:
                return _serve(request, entry)
            request._academy_page_cache_render = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request._academy_page_cache_render = False
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            content_type = response.get("Content-Type", "")
            entry = {
                "status": response.status_code,
                "content": response.content,
                "text": content_type.startswith(("text/", "application/xml")),
                "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                "organisation": {"name": getattr(getattr(request, "_academy_organisation", None), "name", "")},
            }
            if entry["text"] and CONSENT_PLACEHOLDER.encode() in entry["content"]:
                entry["banner"] = _newcomer_banner(request, entry["organisation"])
            cache.set(key, entry, timeout())
            return _serve(request, {**entry, "state": "miss"})

        return wrapper

    return decorator
