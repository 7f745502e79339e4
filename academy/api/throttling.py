"""Rate limit per token (and per address for requests without a valid token)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token, counted in the shared cache: setting ``ACADEMY_API_RATE`` (default 600/min)."""

    scope = "api_token"

    def get_rate(self) -> str:
        from django.conf import settings

        return getattr(settings, "ACADEMY_API_RATE", "600/min")

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken):
            ident = "token-%s" % token.pk
        else:
            ident = "addr-%s" % self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
