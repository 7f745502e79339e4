"""A fixed-window rate limit on the shared Django cache (works across processes with Redis)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Return the client's IP address as seen by Django (the reverse proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def over_rate_limit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; return True once more than ``limit`` happened
    within the current window of ``window_seconds``."""
    cache_key = "ratelimit:%s:%s" % (scope, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window_seconds)
        return False
    return count > limit
