"""Back up and restore the database and stored files in one zip archive.

The archive holds ``manifest.json`` (format, date, Django version, file checksums), ``data.json``
(``dumpdata`` keeping primary keys, with natural keys for references to content types and
permissions, which ``migrate`` rebuilds; portable between SQLite and PostgreSQL) and ``media/…`` (every
file of the default storage, read through the storage API so S3-compatible storage works too).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import django
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from academy.core import pagecache

FORMAT = "academy-backup-1"
# Rebuilt by migrate (content types, permissions) or transient (sessions, task queue).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "django_tasks_database"]


class BackupError(Exception):
    """The archive is not a backup of this format, is damaged, or the database is not empty."""


def _storage_files(storage, folder: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [os.path.join(folder, name) if folder else name for name in files]
    for sub in folders:
        found.extend(_storage_files(storage, os.path.join(folder, sub) if folder else sub))
    return sorted(found)


def create_backup(output: Path) -> dict:
    """Write the archive to ``output``; return the manifest (object count, files with SHA-256)."""
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.json"
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=False,
            exclude=EXCLUDED,
            output=str(data_path),
            verbosity=0,
        )
        objects = json.loads(data_path.read_text(encoding="utf-8"))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database": connection.vendor,
            "objects": len(objects),
            "files": {},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(data_path, "data.json")
            for name in _storage_files(default_storage):
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                manifest["files"][name] = hashlib.sha256(content).hexdigest()
                archive.writestr("media/%s" % name, content)
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def _database_has_data() -> bool:
    from django.apps import apps

    skip = {"contenttypes", "auth", "sessions", "django_tasks_database"}
    for model in apps.get_models():
        if model._meta.app_label in skip or model._meta.proxy or not model._meta.managed:
            continue
        if model._default_manager.exists():
            return True
    from django.contrib.auth import get_user_model

    return get_user_model().objects.exists()


def restore_backup(source: Path, *, replace: bool = False) -> dict:
    """Restore the archive ``source``; return its manifest.

    Refuses (BackupError) a database holding data unless ``replace``, which empties it first.
    Checks each file against its checksum before writing anything; the database part is
    restored in one transaction.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError("Not a backup archive: %s" % exc) from exc
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
            data = archive.read("data.json")
        except (KeyError, ValueError) as exc:
            raise BackupError("The archive has no valid manifest or data.") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError("Unknown backup format: %r" % manifest.get("format"))
        files = {}
        for name, digest in manifest.get("files", {}).items():
            content = archive.read("media/%s" % name)
            if hashlib.sha256(content).hexdigest() != digest:
                raise BackupError("File %s is damaged (checksum mismatch)." % name)
            files[name] = content
    if _database_has_data():
        if not replace:
            raise BackupError("The database already holds data: restore into an empty database, or pass --replace.")
        call_command("flush", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Path(tmp) / "academy_backup.json"
        fixture.write_bytes(data)
        with pagecache.derived_work_suspended(), transaction.atomic():
            # The role groups recreated by migrate come back from the backup with their own ids.
            Group.objects.all().delete()
            call_command("loaddata", str(fixture), verbosity=0)
    for name, content in files.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(content))
    return manifest
