"""Rate limits counted in Django's cache (shared by every process when the cache is Redis).

A fixed window per (scope, key): ``rate_limited(scope, key, limit=5, window=3600)`` counts one
event and says whether ``key`` went over ``limit`` events within ``window`` seconds. The client
key is a keyed hash of the IP address (plus optional parts such as a username): addresses are
never stored in clear.

Every public form is guarded the same way, with the one decorator::

    @ratelimit("quote-form", limit=5, window=3600, message=_("Too many requests…"))

Over the limit, the client gets the 429 page (``core/too_many_requests.html``) with ``message`` and
a ``Retry-After`` header; the view does not run, so nothing is stored or sent.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def client_key(request: HttpRequest, *extra: str) -> str:
    """Return a keyed hash (24 hex) of the client IP address and ``extra`` parts (e.g. a username).

    The address is REMOTE_ADDR: behind a reverse proxy, have the proxy set it (e.g. with
    ``proxy_set_header X-Real-IP`` and a WSGI server that trusts it).
    """
    ip = request.META.get("REMOTE_ADDR", "")
    message = "|".join([ip, *[e.strip().lower() for e in extra]])
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()[:24]


def _cache_key(scope: str, key: str) -> str:
    return "academy:rl:%s:%s" % (scope, key)


def hit(scope: str, key: str, *, window: int) -> int:
    """Count one event for ``key`` in ``scope``; return the count within the current window (seconds)."""
    cache_key = _cache_key(scope, key)
    if cache.add(cache_key, 1, timeout=window):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return 1


def count(scope: str, key: str) -> int:
    """Return the events counted for ``key`` in ``scope`` in the current window."""
    return int(cache.get(_cache_key(scope, key), 0))


def reset(scope: str, key: str) -> None:
    """Forget the events counted for ``key`` in ``scope``."""
    cache.delete(_cache_key(scope, key))


def rate_limited(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event and return True when ``key`` went over ``limit`` events in ``window`` seconds."""
    return hit(scope, key, window=window) > limit


def too_many_requests(request: HttpRequest, message: str = "", *, retry_after: int = 300) -> HttpResponse:
    """Return the 429 page telling the visitor to wait ``retry_after`` seconds at most (the limit's
    window), with ``message`` (by default one naming that wait in minutes) and a ``Retry-After``
    header of the same value (RFC 9110 section 10.2.3)."""
    retry_after = max(1, int(retry_after))
    minutes = -(-retry_after // 60)
    default = ngettext(
        "Too many attempts. Please try again in %(minutes)d minute.",
        "Too many attempts. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = render(request, "core/too_many_requests.html", {"message": message or default}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(
    scope: str,
    *,
    limit: int | None = None,
    window: int | None = None,
    setting: str = "",
    message: str | Callable[[], str] = "",
    methods: tuple[str, ...] = ("POST",),
):
    """Decorate a view: past ``limit`` requests per client address in ``window`` seconds, answer 429.

    ``setting`` names a ``(limit, window)`` tuple in the settings, read at each request (so an
    operator or a test may change it); it wins over ``limit`` and ``window``. ``message`` (text, or a
    callable returning translated text) is shown on the 429 page. Only ``methods`` are counted
    (POST by default: reading a form is free, sending it counts). Raises ValueError when no limit
    is given.
    """
    if not setting and (limit is None or window is None):
        raise ValueError("ratelimit(%r) needs limit and window, or a setting" % scope)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                allowed, seconds = getattr(settings, setting, (limit, window)) if setting else (limit, window)
                if rate_limited(scope, client_key(request), limit=allowed, window=seconds):
                    return too_many_requests(
                        request, message() if callable(message) else str(message), retry_after=seconds
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
