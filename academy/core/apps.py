from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    default = True
    name = "academy.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .scheduler import register_periodic
        from .tasks import deliver_due_emails

        register_periodic("core.deliver_due_emails", deliver_due_emails.enqueue)


class TaskResultsConfig(TasksAppConfig):
    """The database task backend, under a name staff understand in the admin."""

    default = False
    verbose_name = _("Background tasks")
