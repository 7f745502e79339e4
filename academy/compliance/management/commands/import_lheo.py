"""``manage.py import_lheo FILE``: import the courses of an LHEO 2.3 file, all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from academy.catalog.coursefiles import CatalogueFileError
from academy.compliance.lheo.importer import import_lheo


class Command(BaseCommand):
    help = "Import the courses of an LHEO 2.3 file (validated against the shipped XSD first)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The LHEO XML file.")

    def handle(self, *args, **options):
        path = options["path"]
        try:
            with open(path, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CommandError("%s: %s" % (path, exc.strerror)) from exc
        try:
            report = import_lheo(content, path=path)
        except CatalogueFileError as exc:
            raise CommandError(str(exc)) from exc
        for row in report.courses:
            self.stdout.write(
                "%s: %s%s" % (row["code"], row["action"], " (kept as draft)" if row["kept_as_draft"] else "")
            )
