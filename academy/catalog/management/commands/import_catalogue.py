"""``manage.py import_catalogue [paths…]``: load course files and the organisation's identity."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from academy.catalog.coursefiles import CatalogueFileError, import_catalogue


class Command(BaseCommand):
    help = (
        "Import course files (*.md) and organisation.yaml from the given files or folders "
        "(default: the bundled catalogue folder). All or nothing; courses are matched by code."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="course files or folders (default: settings.CATALOGUE_DIR)")
        parser.add_argument(
            "--force", action="store_true", help="re-import files even when unchanged since the last import"
        )

    def handle(self, *args, paths, force, **options):
        paths = paths or [settings.CATALOGUE_DIR]
        try:
            report = import_catalogue(paths=paths, force=force)
        except CatalogueFileError as exc:
            raise CommandError("%s — nothing was imported." % exc) from exc
        if report.organisation:
            self.stdout.write("Training organisation: %s" % report.organisation)
        for row in report.courses:
            course = row["course"]
            self.stdout.write("%s: %s (%s)" % (row["code"], row["action"], course.status))
            if row["missing"]:
                note = "kept as draft, " if row["kept_as_draft"] else ""
                self.stdout.write(
                    self.style.WARNING("  %smissing Qualiopi indicator 1 items: %s" % (note, "; ".join(row["missing"])))
                )
        self.stdout.write(self.style.SUCCESS("%d course file(s) read." % len(report.courses)))
