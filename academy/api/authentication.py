"""Bearer-token authentication for the API: no cookie session is ever accepted here.

Every request carrying a valid token writes one ``api_token.used`` audit event (method, path) and
updates the token's ``last_used_at``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from academy.core.audit import record_event

from .models import ApiToken
from .tokens import find_token

#: Refused tokens allowed per client address and minute before the answer becomes 429.
FAILURES_PER_MINUTE = 30


class TokenUser:
    """What ``request.user`` is on the API: the token itself, holding no role of the site.

    Role checks of the site (``academy.accounts.access``) answer False for it, so nothing but the
    token's scope opens anything.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = False  # never an active account: the site's role predicates refuse it
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ApiToken):
        self.token = token

    def get_username(self) -> str:
        return "api-token:%s" % self.token.prefix

    def __str__(self) -> str:
        return self.get_username()


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer acad_<prefix>_<secret>`` (RFC 6750); 401 for anything else."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword.lower().encode() or len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This API token is not valid.")) from None
        token = find_token(raw)
        if token is None:
            self.count_failure(request)
            raise exceptions.AuthenticationFailed(_("This API token is not valid, has expired or was revoked."))
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        record_event(
            "api_token.used",
            obj=token,
            data={"method": request.method, "path": request.path[:200], "scope": token.scope},
            summary="%s %s" % (request.method, request.path[:400]),
            request=None,
        )
        return TokenUser(token), token

    def count_failure(self, request) -> None:
        """Count a refused token per client address; over ``FAILURES_PER_MINUTE``, answer 429 instead.

        Tokens cannot be guessed (256 bits), but a client sending wrong ones in a loop is slowed
        down all the same, before it costs a lookup per request.
        """
        from academy.core.ratelimit import client_key, rate_limited

        if rate_limited("api-token-refused", client_key(request), limit=FAILURES_PER_MINUTE, window=60):
            raise exceptions.Throttled(wait=60)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
