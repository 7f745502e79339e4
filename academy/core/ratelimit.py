"""Rate limits counted in Django's cache (shared by every process when the cache is Redis).

A fixed window per (scope, key): ``rate_limited(scope, key, limit=5, window=3600)`` counts one
event and says whether ``key`` went over ``limit`` events within ``window`` seconds. The client
key is a keyed hash of the IP address (plus optional parts such as a username): addresses are
never stored in clear. The 429 page and a view decorator live in ``academy.privacy.ratelimit``.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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
