from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "academy.invoicing"
    label = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic

        from .guards import ensure_guards
        from .reminders import EMAIL_EVENTS
        from .tasks import send_overdue_reminders_task

        register_email_events(self.label, EMAIL_EVENTS)
        post_migrate.connect(ensure_guards, sender=self)
        register_periodic("invoicing.send_overdue_reminders", send_overdue_reminders_task.enqueue)
