"""``manage.py run_worker``: the background worker, whichever task queue is configured.

With the database queue (the default) it is django-tasks-db's ``db_worker``; with the Redis queue
(``ACADEMY_TASK_BACKEND=redis``) it is RQ's worker with the Tasks API's job class, so one command
serves every deployment (systemd unit, compose file, ``bin/academy-services``). Either way it first
recovers the work a dead worker left behind.
"""

from django.conf import settings
from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from academy.core.delivery import recover_stale_work


def on_redis() -> bool:
    """True when background tasks go through the Redis queue (``ACADEMY_TASK_BACKEND=redis``)."""
    return settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["redis"]


class Command(DatabaseWorkerCommand):
    help = (
        "Recover work a dead worker left behind (tasks still running, e-mails still sending), "
        "then process background tasks: like db_worker (same options) on the database queue, "
        "as an RQ worker on the Redis queue."
    )

    def add_arguments(self, parser):
        if not on_redis():
            return super().add_arguments(parser)
        parser.add_argument("--queue-name", default="default", help="Queues to process, comma-separated.")
        parser.add_argument("--batch", action="store_true", help="Process the waiting tasks, then exit.")
        parser.add_argument("--worker-id", help="Name of this worker (default: RQ's, host and process).")
        parser.add_argument("--reload", "--no-reload", dest="reload", action="store_true", help="Ignored.")

    def handle(self, *args, **options):
        recovered = recover_stale_work()
        if options.get("verbosity", 1):
            self.stdout.write("recovered %(tasks)d interrupted task(s), queued %(emails)d due e-mail(s)" % recovered)
        if on_redis():
            queues = options.get("queue_name") or "default"
            return call_command(
                "rqworker",
                *queues.split(","),
                job_class="django_tasks_rq.backend.Job",
                with_scheduler=True,
                burst=bool(options.get("batch")),
                **({"name": options["worker_id"]} if options.get("worker_id") else {}),
                verbosity=options.get("verbosity", 1),
            )
        return super().handle(*args, **options)
