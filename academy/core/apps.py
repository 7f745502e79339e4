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

    def ready(self) -> None:
        super().ready()
        from .labels import relabel

        relabel(
            self.get_model("DBTaskResult"),
            verbose_name=_("task result"),
            verbose_name_plural=_("task results"),
            fields={
                "id": _("identifier"),
                "status": _("status"),
                "enqueued_at": _("enqueued at"),
                "started_at": _("started at"),
                "finished_at": _("finished at"),
                "args_kwargs": _("arguments"),
                "priority": _("priority"),
                "task_path": _("task"),
                "worker_ids": _("workers"),
                "queue_name": _("queue"),
                "backend_name": _("backend"),
                "run_after": _("run after"),
                "return_value": _("return value"),
                "exception_class_path": _("exception"),
                "traceback": _("traceback"),
            },
        )
