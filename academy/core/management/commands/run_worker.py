from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from academy.core.delivery import recover_stale_work


class Command(DatabaseWorkerCommand):
    help = (
        "Recover work a dead worker left behind (tasks still running, e-mails still sending), "
        "then process background tasks like db_worker (same options)."
    )

    def handle(self, *args, **options):
        recovered = recover_stale_work()
        if options.get("verbosity", 1):
            self.stdout.write("recovered %(tasks)d interrupted task(s), queued %(emails)d due e-mail(s)" % recovered)
        return super().handle(*args, **options)
