from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from academy.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by backup_data (database and stored files)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive written by backup_data")
        parser.add_argument("--replace", action="store_true", help="Empty a database that already holds data first")

    def handle(self, *args, archive, replace, **options):
        if not Path(archive).exists():
            raise CommandError("No such file: %s" % archive)
        try:
            manifest = restore_backup(Path(archive), replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "Restored %d objects and %d files from a backup of %s"
            % (manifest["objects"], len(manifest["files"]), manifest["created_at"])
        )
