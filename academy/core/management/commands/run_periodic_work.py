from django.core.management.base import BaseCommand, CommandError

from academy.core.delivery import recover_stale_tasks
from academy.core.scheduler import periodic_jobs


class Command(BaseCommand):
    help = (
        "Re-queue background tasks left running by a dead worker, then enqueue every registered periodic "
        "job (reminders, follow-ups, retention, e-mail retries…) as a background task."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="Run only this job (repeatable).")

    def handle(self, *args, only, **options):
        jobs = periodic_jobs()
        unknown = sorted(set(only) - set(jobs))
        if unknown:
            raise CommandError(
                "Unknown job(s): %s. Known: %s" % (", ".join(unknown), ", ".join(sorted(jobs)) or "none")
            )
        # Recovery runs here, not in a task, so it happens even when no worker is alive.
        recovered = recover_stale_tasks()
        if recovered:
            self.stdout.write("re-queued %d interrupted task(s)" % recovered)
        for name, enqueue in sorted(jobs.items()):
            if only and name not in only:
                continue
            enqueue()
            self.stdout.write("enqueued %s" % name)
        self.stdout.write(self.style.SUCCESS("%d job(s) enqueued" % (len(only) or len(jobs))))
