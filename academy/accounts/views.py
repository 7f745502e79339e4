"""Accounts outside the back office: log-in, log-out and "my space" for trainers and client contacts.

Staff use the same log-in and reach the back office from their space. Failed log-ins share the
back office's rate limit (per IP address and username) and the optional second factor.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.shortcuts import render
from django.utils import timezone

from . import ratelimit, roles
from .admin_site import LOGIN_SCOPE, OptionalOTPAuthenticationForm, login_key


class LoginView(auth_views.LoginView):
    """Log-in page for every account; answers 429 past the failed log-in limit."""

    template_name = "privacy/login.html"
    form_class = OptionalOTPAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        key = login_key(request, request.POST.get("username", ""))
        if ratelimit.count(LOGIN_SCOPE, key) >= settings.ACADEMY_LOGIN_FAILURE_LIMIT:
            return ratelimit.too_many_requests(request)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and show the log-in page again."""

    template_name = "privacy/logged_out.html"


@login_required
def home(request):
    """The signed-in person's space: their roles' pages, and a trainer's sessions to run.

    A trainer sees the sessions they run that ended less than 60 days ago or are to come, each with
    its attendance, opening positioning and report pages. Bounded queries: one for the sessions.
    """
    trainer = roles.trainer_of(request.user)
    sessions = []
    if trainer is not None:
        since = timezone.now() - datetime.timedelta(days=60)
        sessions = list(
            trainer.course_sessions.select_related("course")
            .filter(slots__ends_at__gte=since)
            .annotate(first_start=Min("slots__starts_at"))
            .order_by("first_start")[:100]
        )
    return render(
        request,
        "privacy/home.html",
        {
            "is_staff_member": roles.is_staff_member(request.user) or request.user.is_staff,
            "is_staff_admin": roles.is_staff_admin(request.user),
            "trainer": trainer,
            "sessions": sessions,
        },
    )
