"""``manage.py export_catalogue``: write every course (and the organisation) back to files."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from academy.catalog.coursefiles import CatalogueFileError, export_catalogue


class Command(BaseCommand):
    help = "Export courses to <CODE>.md files and the organisation to organisation.yaml."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="course codes to export (default: all, and the organisation)")
        parser.add_argument("--output", "-o", help="folder to write to (default: settings.CATALOGUE_DIR)")

    def handle(self, *args, codes, output, **options):
        try:
            written = export_catalogue(directory=output or settings.CATALOGUE_DIR, codes=codes)
        except (CatalogueFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS("%d file(s) written." % len(written)))
