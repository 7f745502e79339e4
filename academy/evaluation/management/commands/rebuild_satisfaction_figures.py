"""Recompute the per-day satisfaction figures behind the public course figures."""

from django.core.management.base import BaseCommand

from academy.evaluation.services import rebuild_daily_satisfaction


class Command(BaseCommand):
    help = "Recompute the per-day end-of-course figures from the stored responses (after an import)."

    def handle(self, *args, **options):
        rows = rebuild_daily_satisfaction()
        self.stdout.write("%d day rows written." % rows)
