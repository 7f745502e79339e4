from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "academy.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .scheduler import register_periodic
        from .tasks import deliver_due_emails

        register_periodic("core.deliver_due_emails", deliver_due_emails.enqueue)
