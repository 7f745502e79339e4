"""Signal receivers of the accounts app: log-in failure counting, role groups after migrate."""

from __future__ import annotations

from django.conf import settings

from academy.core import ratelimit

from .admin_site import LOGIN_SCOPE, login_key


def count_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """Count a failed log-in per (IP address, username) and record it in the audit log."""
    if request is None:
        return
    username = (credentials or {}).get("username", "")
    ratelimit.hit(LOGIN_SCOPE, login_key(request, username), window=settings.ACADEMY_LOGIN_FAILURE_WINDOW)


def reset_login_failures(sender, request=None, user=None, **kwargs) -> None:
    """Forget the failed log-ins of a (client address, username) once that user signs in."""
    if request is not None and user is not None:
        ratelimit.reset(LOGIN_SCOPE, login_key(request, user.get_username()))


def create_roles(sender, **kwargs) -> None:
    """Create or update the role groups once every app has migrated (idempotent)."""
    from django.apps import apps

    # Run once, after the last app: by then every app's permissions exist.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from .setup import setup_roles

    setup_roles(using=kwargs.get("using", "default"))
