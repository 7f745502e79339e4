"""Kiosk mode: the trainer's signed-in device passed around the room is locked to one page.

While a trainer's device goes from hand to hand, the browser session stays signed in as the
trainer. Kiosk mode keeps every trainee holding it on the signing page of that half-day: any
other page of the site redirects back there, until the trainer leaves kiosk mode by typing
their password again (``LeaveKioskForm``). Signing out is allowed too (it ends the trainer's
session, which is as safe).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

#: Session key holding the id of the half-day the browser is locked to.
SESSION_KEY = "attendance_kiosk_slot"
#: Session key counting wrong passwords typed to leave kiosk mode.
FAILURES_KEY = "attendance_kiosk_failures"
#: Wrong passwords after which the trainer is signed out rather than letting guesses go on.
MAX_FAILURES = 5

_ALWAYS_ALLOWED = {"set_language", "accounts:logout"}
_SLOT_PAGES = {"attendance:kiosk", "attendance:kiosk_leave"}


def lock(request, slot_id: int) -> None:
    """Lock this browser session to the kiosk page of half-day ``slot_id``."""
    request.session[SESSION_KEY] = slot_id
    request.session.pop(FAILURES_KEY, None)


def locked_slot_id(request) -> int | None:
    """The half-day id this browser session is locked to, or None."""
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def unlock(request) -> None:
    """Leave kiosk mode."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop(FAILURES_KEY, None)


def _allowed(request, slot_id: int) -> bool:
    if request.path_info.startswith(settings.STATIC_URL) or request.path_info == "/favicon.ico":
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.view_name in _ALWAYS_ALLOWED:
        return True
    return match.view_name in _SLOT_PAGES and match.kwargs.get("slot_id") == slot_id


class KioskLockMiddleware:
    """Redirect every request of a kiosk-locked session, except the kiosk's own pages, to the kiosk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        slot_id = locked_slot_id(request)
        if slot_id is not None and not request.user.is_authenticated:
            unlock(request)
        elif slot_id is not None and not _allowed(request, slot_id):
            return redirect(reverse("attendance:kiosk", args=[slot_id]))
        return self.get_response(request)


class LeaveKioskForm(forms.Form):
    """The trainer's password, asked again to leave kiosk mode."""

    password = forms.CharField(label=_("Trainer's password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not the trainer's password: the device stays in kiosk mode."))
        return password


def count_failure(request) -> bool:
    """Count a wrong password; True (and the trainer is signed out) once ``MAX_FAILURES`` is reached."""
    failures = request.session.get(FAILURES_KEY, 0) + 1
    if failures >= MAX_FAILURES:
        logout(request)
        return True
    request.session[FAILURES_KEY] = failures
    return False
