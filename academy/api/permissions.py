"""What a token's scope lets it do. Object visibility is the views' querysets (``scopes.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class TokenScopePermission(permissions.BasePermission):
    """Read for every scope; writes for planner tokens, and for client tokens where the view allows.

    A view lists in ``client_write_actions`` the actions a client organisation may do through its
    own pages too (enrol its people, cancel their enrolments).
    """

    message = _("This API token's scope does not allow this.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if token.scope == ApiToken.Scope.PLANNER:
            return True
        if token.scope == ApiToken.Scope.CLIENT:
            return getattr(view, "action", None) in getattr(view, "client_write_actions", ())
        return False
