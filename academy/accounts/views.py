"""Accounts: log-in, log-out, "my space" and the second factor.

Staff use the same log-in and reach the back office from their space. Failed log-ins share the
back office's rate limit (per IP address and username) and the optional second factor.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Min
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.core import ratelimit

from . import access
from .access import Role, require_role, require_sign_in
from .admin_site import LOGIN_SCOPE, OptionalOTPAuthenticationForm, login_key
from .forms import TOTPConfirmForm
from .space import render_sections


class LoginView(auth_views.LoginView):
    """Log-in page for every account; answers 429 past the failed log-in limit."""

    template_name = "accounts/login.html"
    form_class = OptionalOTPAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        key = login_key(request, request.POST.get("username", ""))
        if ratelimit.count(LOGIN_SCOPE, key) >= settings.ACADEMY_LOGIN_FAILURE_LIMIT:
            return ratelimit.too_many_requests(request)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and show the log-in page again."""

    template_name = "accounts/logged_out.html"


@require_sign_in
def home(request):
    """The signed-in person's space: their roles' pages, a trainer's sessions, the apps' sections.

    A trainer sees the sessions they run that ended less than 60 days ago or are to come, each with
    its attendance, opening positioning and report pages (one query). Other apps add their own
    sections (``accounts.space``), e.g. a client contact's trainees.
    """
    trainer = access.trainer_of(request.user)
    sessions = []
    if trainer is not None:
        since = timezone.now() - datetime.timedelta(days=60)
        sessions = list(
            trainer.course_sessions.select_related("course")
            .filter(slots__ends_at__gte=since)
            .annotate(first_start=Min("slots__starts_at"))
            .order_by("first_start")[:100]
        )
    sections = render_sections(request)
    return render(
        request,
        "accounts/home.html",
        {
            "is_staff_member": access.is_staff_member(request.user),
            "is_staff_admin": access.is_staff_admin(request.user),
            "trainer": trainer,
            "sessions": sessions,
            "sections": sections,
        },
    )


@require_role(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Let a staff member add a TOTP device: scan the QR code, then confirm with a code.

    Once a device is confirmed the back office asks for a code at every log-in.
    """
    import segno
    from django_otp.plugins.otp_totp.models import TOTPDevice

    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None and not confirmed:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            from academy.core.services import record_audit

            record_audit(action="create", obj=device, summary="Second factor added", request=request)
            messages.success(
                request, _("Your second factor is active: the back office will ask for a code at each log-in.")
            )
            return redirect("accounts:two_factor")
        form.add_error("token", _("This code is not valid; check the time on your phone and try again."))
    qr_svg = ""
    if device is not None:
        qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)
    return render(request, "accounts/two_factor.html", {"confirmed": confirmed, "form": form, "qr_svg": qr_svg})
