from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "academy.api"
    label = "api"
    verbose_name = _("API and webhooks")

    def ready(self) -> None:
        from academy.accounts.space import register_section
        from academy.core.scheduler import register_periodic

        from . import webhooks
        from .space import admin_section
        from .tasks import retry_due_webhooks_task

        webhooks.connect_signals()
        register_periodic("api.retry_due_webhooks", retry_due_webhooks_task.enqueue)
        register_section(admin_section)
