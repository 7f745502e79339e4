"""The back office's admin site: optional TOTP second factor for staff, and a log-in rate limit.

A staff member without a confirmed device logs in with a password; once they confirm a TOTP
device (``accounts:two_factor``, or an administrator in the admin), the site asks for a code at
every log-in and refuses a session that was not verified with it. Failed log-ins are counted per
(IP address, username) in the cache; past ``ACADEMY_LOGIN_FAILURE_LIMIT`` within
``ACADEMY_LOGIN_FAILURE_WINDOW`` seconds the log-in page answers 429.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

from academy.core import ratelimit

LOGIN_SCOPE = "admin-login"


def login_key(request, username: str) -> str:
    """The rate-limit key of a log-in attempt: a keyed hash of the client address and the username."""
    return ratelimit.client_key(request, username or "")


class OptionalOTPFieldsForm(OTPAuthenticationFormMixin, forms.Form):
    """A TOTP code field, required only from users who have a confirmed device."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you set up two-factor authentication."),
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            self.clean_otp(user)
        return cleaned


class OptionalOTPAuthenticationForm(OptionalOTPFieldsForm, AuthenticationForm):
    """Log-in of any active account (trainers, client contacts, staff): password, then the code if set up."""


class OptionalOTPAdminAuthenticationForm(OptionalOTPFieldsForm, AdminAuthenticationForm):
    """Back-office log-in: staff accounts only, password, then the code if set up."""


class AcademyAdminSite(admin.AdminSite):
    site_header = _("Academy back office")
    site_title = _("Academy back office")
    index_title = _("Administration")
    login_form = OptionalOTPAdminAuthenticationForm
    login_template = "accounts/admin_login.html"

    def has_permission(self, request):
        """Staff only; and, for a user with a confirmed second factor, a session verified with it."""
        if not super().has_permission(request):
            return False
        user = request.user
        if user_has_device(user, confirmed=True):
            return bool(getattr(user, "is_verified", lambda: False)())
        return True

    def login(self, request, extra_context=None):
        if request.method == "POST":
            key = login_key(request, request.POST.get("username", ""))
            if ratelimit.count(LOGIN_SCOPE, key) >= settings.ACADEMY_LOGIN_FAILURE_LIMIT:
                return ratelimit.too_many_requests(request)
        return super().login(request, extra_context)
