"""Rate limits counted in Django's cache (shared by every process when the cache is Redis).

Usage in a public form view::

    from academy.privacy.ratelimit import rate_limited, client_key

    if request.method == "POST" and rate_limited("quote-form", client_key(request), limit=5, window=3600):
        return HttpResponse(status=429)  # or show the form with a message

or decorate a view: ``@ratelimit("quote-form", limit=5, window=3600)`` (POST only by default).
The client key is a keyed hash of the IP address: addresses are never stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_key(request, *extra: str) -> str:
    """Return a keyed hash (24 hex) of the client IP address and ``extra`` parts (e.g. a username)."""
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
    cache.delete(_cache_key(scope, key))


def rate_limited(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event and return True when ``key`` went over ``limit`` events in ``window`` seconds."""
    return hit(scope, key, window=window) > limit


def ratelimit(scope: str, *, limit: int, window: int, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: over ``limit`` requests per client in ``window`` seconds answer 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and rate_limited(scope, client_key(request), limit=limit, window=window):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request):
    """Return the 429 page telling the visitor to wait."""
    response = render(
        request,
        "privacy/too_many_requests.html",
        {"message": _("Too many attempts. Please wait a few minutes and try again.")},
        status=429,
    )
    response["Retry-After"] = "300"
    return response
