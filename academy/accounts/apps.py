from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpDefaultConfig


class AcademyAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the back office's site (optional second factor, log-in rate limit)."""

    default = False
    default_site = "academy.accounts.admin_site.AcademyAdminSite"


class AccountsConfig(AppConfig):
    """Sign-in, second factor, "my space", the admin site and who may reach what (``access``)."""

    default = True
    name = "academy.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from academy.core.services import register_back_office_users

        from . import signals
        from .access import back_office_users

        register_back_office_users(back_office_users)

        user_login_failed.connect(signals.count_login_failure, dispatch_uid="accounts.count_login_failure")
        user_logged_in.connect(signals.reset_login_failures, dispatch_uid="accounts.reset_login_failures")
        post_migrate.connect(signals.create_roles, dispatch_uid="accounts.create_roles")


class OtpTotpConfig(OtpTotpDefaultConfig):
    """django-otp's authenticator-app devices, under a name staff understand in the admin."""

    default = False
    verbose_name = _("Second factor (authenticator app)")

    def ready(self) -> None:
        super().ready()
        from academy.core.labels import relabel

        relabel(
            self.get_model("TOTPDevice"),
            verbose_name=_("authenticator app"),
            verbose_name_plural=_("authenticator apps"),
            fields={
                "user": _("user"),
                "name": _("name"),
                "confirmed": _("confirmed"),
                "throttling_failure_timestamp": _("last failed attempt"),
                "throttling_failure_count": _("failed attempts"),
                "created_at": _("created at"),
                "last_used_at": _("last used at"),
                "key": _("secret key"),
                "step": _("time step (seconds)"),
                "t0": _("start time (t0)"),
                "digits": _("digits"),
                "tolerance": _("tolerance (steps)"),
                "drift": _("drift (steps)"),
                "last_t": _("last time step used"),
            },
        )
