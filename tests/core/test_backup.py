"""Backups: ``backup_data`` then ``restore_data`` give back the same database and files."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from academy.catalog.models import Course
from tests.factories.catalog import CourseFactory, LearningObjectiveFactory
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import LeadFactory, OutboundEmailFactory, staff_admin

pytestmark = pytest.mark.django_db(transaction=True)

SKIP = {"contenttypes", "sessions", "django_tasks_database", "django_tasks_db"}


_WHOLE_SECOND = re.compile(r"\.000(?=Z$|[+-]\d\d:\d\d$)")


def _same_precision(value):
    """Write "12:00:01.000Z" as "12:00:01Z": the JSON format keeps milliseconds, and drops them when zero."""
    return _WHOLE_SECOND.sub("", value) if isinstance(value, str) else value


def snapshot() -> dict:
    """Every row of every model (natural keys), as comparable JSON, by model label."""
    result = {}
    for model in apps.get_models():
        if model._meta.app_label in SKIP or model._meta.label == "auth.Permission":
            continue
        rows = json.loads(
            serializers.serialize(
                "json",
                model._default_manager.order_by("pk"),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
            )
        )
        for row in rows:
            row["fields"] = {name: _same_precision(value) for name, value in row["fields"].items()}
        result[model._meta.label] = rows
    return result


@pytest.fixture(params=["local", "s3"])
def file_storage(request, settings):
    """The default storage as a local folder, or as S3-compatible object storage (moto, in process)."""
    if request.param == "local":
        yield "local"
        return
    import boto3
    from moto import mock_aws

    with mock_aws():
        boto3.client("s3", region_name="eu-west-3").create_bucket(
            Bucket="academy-backup-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "academy-backup-test",
                    "region_name": "eu-west-3",
                    "access_key": "test",
                    "secret_key": "test",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        yield "s3"


def test_backup_then_restore_gives_back_the_same_data_and_files(tmp_path, file_storage):
    TrainingOrganisationFactory()
    course = CourseFactory(title="Sécurité électrique — habilitation B1V")
    LearningObjectiveFactory(course=course)
    EnrolmentFactory(course_session__course=course, first_name="Zoë", last_name="Ñúñez-Łukasiewicz")
    LeadFactory(course=course)
    OutboundEmailFactory()
    staff_admin(username="admin")
    default_storage.save("certificates/2026/cert.pdf", ContentFile(b"%PDF-1.7 \x00\xff binary"))
    default_storage.save("signatures/s.png", ContentFile(b"\x89PNG..."))
    before = snapshot()
    archive = tmp_path / "backup.zip"

    call_command("backup_data", output=str(archive))
    call_command("flush", interactive=False)
    for name in ("certificates/2026/cert.pdf", "signatures/s.png"):
        default_storage.delete(name)
    assert not Course.objects.exists()
    call_command("restore_data", str(archive))

    after = snapshot()
    differences = [
        (label, row_before["pk"], field, value, row_after["fields"].get(field))
        for label in before
        for row_before, row_after in zip(before[label], after.get(label, []), strict=False)
        for field, value in row_before["fields"].items()
        if row_after["fields"].get(field) != value
    ]
    assert differences == []
    assert after == before
    with default_storage.open("certificates/2026/cert.pdf") as handle:
        assert handle.read() == b"%PDF-1.7 \x00\xff binary"
    with default_storage.open("signatures/s.png") as handle:
        assert handle.read() == b"\x89PNG..."
    assert type(default_storage._wrapped).__name__ == {"local": "FileSystemStorage", "s3": "S3Storage"}[file_storage]


def test_restore_refuses_a_database_holding_data_unless_told_to_replace(tmp_path):
    CourseFactory(code="KEEP")
    archive = tmp_path / "backup.zip"
    call_command("backup_data", output=str(archive))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore_data", str(archive))
    CourseFactory(code="EXTRA")
    call_command("restore_data", str(archive), replace=True)
    assert list(Course.objects.values_list("code", flat=True)) == ["KEEP"]


def test_restore_refuses_a_damaged_file(tmp_path):
    default_storage.save("a.txt", ContentFile(b"hello"))
    archive = tmp_path / "backup.zip"
    call_command("backup_data", output=str(archive))
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"evil" if item.filename == "media/a.txt" else data)
    call_command("flush", interactive=False)
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_data", str(damaged))


def test_restore_refuses_something_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="Not a backup archive"):
        call_command("restore_data", str(bogus))
