import datetime

from django.core.management.base import BaseCommand, CommandError

from academy.core.delivery import recover_stale_tasks
from academy.core.models import PeriodicRun
from academy.core.scheduler import claim, due_time, periodic_jobs

#: Claims older than this are deleted (they only serve to refuse a second run of the same due time).
KEEP_CLAIMS = datetime.timedelta(days=7)


class Command(BaseCommand):
    help = (
        "Re-queue background tasks left running by a dead worker, then enqueue every registered periodic "
        "job (reminders, follow-ups, retention, e-mail retries…) as a background task — once per due time "
        "across all nodes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="Run only this job (repeatable).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Enqueue even when this due time was already claimed (by hand, after a fix).",
        )

    def handle(self, *args, only, force, **options):
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
        due_at = due_time()
        enqueued = 0
        for name, enqueue in sorted(jobs.items()):
            if only and name not in only:
                continue
            if not force and not claim(name, due_at):
                self.stdout.write("skipped %s: already enqueued for %s" % (name, due_at.isoformat()))
                continue
            enqueue()
            enqueued += 1
            self.stdout.write("enqueued %s" % name)
        PeriodicRun.objects.filter(due_at__lt=due_at - KEEP_CLAIMS).delete()
        self.stdout.write(self.style.SUCCESS("%d job(s) enqueued" % enqueued))
