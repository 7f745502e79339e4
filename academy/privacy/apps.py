from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AcademyAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the back office's site (optional second factor, log-in rate limit)."""

    default = False
    default_site = "academy.privacy.admin_site.AcademyAdminSite"


class PrivacyConfig(AppConfig):
    default = True
    name = "academy.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from academy.core.scheduler import register_periodic

        from . import signals, tasks

        register_periodic("privacy.purge_audience", tasks.purge_audience_task.enqueue)
        register_periodic("privacy.apply_retention", tasks.apply_retention_task.enqueue)
        user_login_failed.connect(signals.count_login_failure, dispatch_uid="privacy.count_login_failure")
        user_logged_in.connect(signals.reset_login_failures, dispatch_uid="privacy.reset_login_failures")
        post_migrate.connect(signals.create_roles, dispatch_uid="privacy.create_roles")
