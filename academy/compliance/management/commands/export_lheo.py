"""``manage.py export_lheo [--output offre.xml] [--course CODE …]``: the LHEO 2.3 offer."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from academy.compliance.lheo.export import LheoError, offer_xml


class Command(BaseCommand):
    help = "Write the published catalogue and its upcoming sessions as an LHEO 2.3 document (validated)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--course", action="append", default=[], help="Only this course code (repeatable).")

    def handle(self, *args, **options):
        try:
            document = offer_xml(codes=options["course"])
        except LheoError as exc:
            raise CommandError(str(exc)) from exc
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(document)
            self.stderr.write("LHEO offer written to %s (%d bytes)." % (options["output"], len(document)))
        else:
            sys.stdout.buffer.write(document)
