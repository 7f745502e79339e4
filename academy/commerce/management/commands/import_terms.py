"""``manage.py import_terms [folder]``: publish the bundled terms of sale and internal rules."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from academy.commerce.terms import TermsFileError, import_terms_files


class Command(BaseCommand):
    help = (
        "Publish terms-of-sale.md and internal-rules.md from the given folder "
        "(default: the catalogue folder's terms sub-folder). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="folder holding the files (default: CATALOGUE_DIR/terms)")

    def handle(self, *args, folder, **options):
        folder = Path(folder) if folder else Path(settings.CATALOGUE_DIR) / "terms"
        if not folder.is_dir():
            raise CommandError("%s: no such folder — nothing was imported." % folder)
        try:
            results = import_terms_files(folder)
        except TermsFileError as exc:
            raise CommandError("%s — nothing was imported." % exc) from exc
        for row in results:
            self.stdout.write("%s: %s" % (row.document, row.action))
        self.stdout.write(self.style.SUCCESS("%d terms file(s) read." % len(results)))
