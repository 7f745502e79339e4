"""Rate limits counted in Django's cache (shared by every process when the cache is Redis).

Counting lives in ``academy.core.ratelimit``; this module adds the 429 page and a decorator.
Usage in a public form view::

    from academy.privacy.ratelimit import rate_limited, client_key

    if request.method == "POST" and rate_limited("quote-form", client_key(request), limit=5, window=3600):
        return HttpResponse(status=429)  # or show the form with a message

or decorate a view: ``@ratelimit("quote-form", limit=5, window=3600)`` (POST only by default).
The client key is a keyed hash of the IP address: addresses are never stored in clear.
"""

from __future__ import annotations

from functools import wraps

from django.shortcuts import render
from django.utils.translation import gettext as _

from academy.core.ratelimit import client_key, count, hit, rate_limited, reset

__all__ = ["client_key", "count", "hit", "rate_limited", "ratelimit", "reset", "too_many_requests"]


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
