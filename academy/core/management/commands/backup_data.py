from pathlib import Path

from django.core.management.base import BaseCommand

from academy.core.backup import create_backup


class Command(BaseCommand):
    help = "Back up the database (natural-key JSON) and every stored file into one zip archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Archive to write, e.g. backups/academy-2026-11-29.zip")

    def handle(self, *args, output, **options):
        manifest = create_backup(Path(output))
        self.stdout.write(
            "Backed up %d objects and %d files to %s" % (manifest["objects"], len(manifest["files"]), output)
        )
