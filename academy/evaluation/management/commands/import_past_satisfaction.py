"""Import satisfaction figures collected before Academy (``catalogue/past-satisfaction.csv``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from academy.evaluation.services.satisfaction import PastFiguresError, import_past_satisfaction, read_past_figures

DEFAULT_FILE = "past-satisfaction.csv"


class Command(BaseCommand):
    help = (
        "Import past end-of-course figures per course and period (CSV: course, first_day, last_day, reviews, "
        "mean, recommend_pct[, recommend_answers, satisfied, source]); all or nothing. Without a file, reads "
        "past-satisfaction.csv of the catalogue folder when it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="CSV files (default: <catalogue>/%s)" % DEFAULT_FILE)

    def handle(self, *args, files=(), **options):
        paths = [Path(f) for f in files] or [Path(settings.CATALOGUE_DIR) / DEFAULT_FILE]
        if not files and not paths[0].exists():
            self.stdout.write("No past satisfaction figures to import (%s)." % paths[0])
            return
        rows = []
        try:
            for path in paths:
                if not path.exists():
                    raise CommandError("%s: no such file." % path)
                rows.extend(read_past_figures(path.read_text(encoding="utf-8"), name=str(path)))
            count = import_past_satisfaction(rows, name=", ".join(str(p) for p in paths))
        except PastFiguresError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("%d past satisfaction figure(s) imported." % count)
