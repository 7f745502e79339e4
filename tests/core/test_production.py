"""Production shape on one process: probes, JSON logs, periodic claims, storage faults."""

from __future__ import annotations

import io
import json
import logging

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.management import call_command
from django.urls import reverse

from academy.core import health
from academy.core.logfilters import JsonFormatter
from academy.core.models import PeriodicRun
from academy.core.scheduler import due_time

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service_and_answers_200_when_all_answer(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue", "storage"}
    assert {c["status"] for c in body["checks"].values()} == {"ok"}
    assert body["checks"]["storage"]["backend"] == "local"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_service_that_failed_without_its_configuration(client, monkeypatch):
    def unreachable():
        raise EndpointConnectionError(endpoint_url="http://secret-host.invalid:9000/bucket")

    monkeypatch.setitem(health.CHECKS, "storage", unreachable)

    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["storage"] == {
        "status": "fail",
        "error": "EndpointConnectionError",
        "ms": pytest.approx(0, abs=1000),
    }
    assert body["checks"]["database"]["status"] == "ok"
    assert "secret-host" not in response.content.decode()


def test_healthz_refuses_posts_without_server_error(client):
    assert client.post(reverse("core:healthz"), data=b"\xff\xfe", content_type="application/json").status_code == 405


def test_readyz_answers_once_every_migration_is_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_ready", False)
    monkeypatch.setattr(health, "pending_migrations", lambda: ["core.0999_future"])
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "reason": "1 migration(s) to apply"}

    monkeypatch.setattr(health, "pending_migrations", lambda: [])
    assert client.get(reverse("core:readyz")).json() == {"status": "ready"}


def test_the_real_migration_plan_is_empty_on_a_migrated_database():
    assert health.pending_migrations() == []


def test_json_log_lines_carry_level_logger_message_and_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("academy.test").makeRecord(
            "academy.test",
            logging.ERROR,
            __file__,
            1,
            "Échec de %s",
            ("l’envoi",),
            exc_info=__import__("sys").exc_info(),
        )
    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "academy.test"
    assert entry["message"] == "Échec de l’envoi"
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_periodic_work_is_enqueued_once_per_due_time_whoever_runs_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    first, second = io.StringIO(), io.StringIO()

    call_command("run_periodic_work", only=["core.deliver_due_emails"], stdout=first)
    call_command("run_periodic_work", only=["core.deliver_due_emails"], stdout=second)

    assert "enqueued core.deliver_due_emails" in first.getvalue()
    assert "skipped core.deliver_due_emails: already enqueued" in second.getvalue()
    assert list(PeriodicRun.objects.values_list("job", "due_at")) == [("core.deliver_due_emails", due_time())]


def test_a_forced_run_enqueues_again():
    out = io.StringIO()
    call_command("run_periodic_work", only=["core.deliver_due_emails"], stdout=io.StringIO())
    call_command("run_periodic_work", only=["core.deliver_due_emails"], force=True, stdout=out)
    assert "enqueued core.deliver_due_emails" in out.getvalue()


def test_due_times_are_whole_periods(settings):
    import datetime

    settings.ACADEMY_PERIODIC_SECONDS = 300
    at = datetime.datetime(2026, 12, 1, 17, 4, 59, tzinfo=datetime.UTC)
    assert due_time(at) == datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.UTC)
    assert due_time(at + datetime.timedelta(seconds=1)) == datetime.datetime(2026, 12, 1, 17, 5, tzinfo=datetime.UTC)


def _issued_certificate():
    from academy.certification.services import issue_certificate
    from tests.attendance.helpers import trainee, two_day_session
    from tests.factories.attendance import sign_slot

    session, trainer, slots = two_day_session(title="Masterclass Communs numériques")
    enrolment = trainee(session)
    for slot in slots[:3]:
        sign_slot(slot, enrolment, trainer)
    return enrolment, issue_certificate(enrolment=enrolment, send=False)


def _unreachable(*args, **kwargs):
    raise EndpointConnectionError(endpoint_url="http://storage.invalid:9000")


def test_a_document_whose_storage_is_unreachable_answers_503_with_a_page(client, monkeypatch):
    from academy.certification.services import download_token

    _, certificate = _issued_certificate()
    monkeypatch.setattr("django.core.files.storage.default_storage.open", _unreachable)

    response = client.get(reverse("certification:download", args=[download_token(certificate)]))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Document temporairement indisponible" in response.content.decode()


def test_issuing_while_the_storage_is_unreachable_writes_nothing(monkeypatch):
    from academy.certification.models import Certificate
    from academy.certification.services import issue_certificate
    from tests.attendance.helpers import trainee, two_day_session
    from tests.factories.attendance import sign_slot

    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    for slot in slots:
        sign_slot(slot, enrolment, trainer)
    monkeypatch.setattr("django.core.files.storage.default_storage.save", _unreachable)

    with pytest.raises(EndpointConnectionError):
        issue_certificate(enrolment=enrolment, send=False)

    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_a_certificate_batch_whose_task_was_lost_is_resumed_by_the_periodic_work(monkeypatch):
    import datetime

    from django.utils import timezone

    from academy.certification.models import Certificate, CertificateBatch
    from academy.certification.services import issue_certificate
    from academy.core.models import OutboundEmail
    from tests.attendance.helpers import trainee, two_day_session
    from tests.factories.attendance import sign_slot

    session, trainer, slots = two_day_session()
    first, second = trainee(session, email="un@exemple.fr"), trainee(session, email="deux@exemple.fr")
    for enrolment in (first, second):
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    issue_certificate(enrolment=first)  # issued before the worker died
    batch = CertificateBatch.objects.create(course_session=session, status="running", total=2, done=1)
    CertificateBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    fresh = CertificateBatch.objects.create(course_session=session, total=2)

    call_command("run_periodic_work", only=["certification.resume_interrupted_batches"], stdout=io.StringIO())

    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("done", 2)
    assert CertificateBatch.objects.get(pk=fresh.pk).status == "queued"  # young: its task may still come
    assert Certificate.objects.filter(enrolment__in=[first, second]).count() == 2
    # Each holder e-mailed once, the resumed batch included.
    assert sorted(OutboundEmail.objects.filter(category="certificate").values_list("to", flat=True)) == [
        ["deux@exemple.fr"],
        ["un@exemple.fr"],
    ]


def point_storage_at_nothing(settings) -> None:
    """Make the default storage an S3 address where nothing answers (connection refused)."""
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "academy-documents",
                "endpoint_url": "http://127.0.0.1:9",
                "region_name": "eu-west-3",
                "access_key": "test",
                "secret_key": "test",
                "client_config": Config(connect_timeout=1, retries={"max_attempts": 1}),
            },
        },
    }


def test_healthz_and_a_document_page_answer_503_when_object_storage_is_unreachable(client, settings):
    from academy.certification.models import Certificate
    from academy.certification.services import download_token

    _, certificate = _issued_certificate()  # issued while the storage worked
    point_storage_at_nothing(settings)

    health = client.get(reverse("core:healthz"))
    assert health.status_code == 503
    assert health.json()["checks"]["storage"] == {
        "status": "fail",
        "error": "EndpointConnectionError",
        "ms": health.json()["checks"]["storage"]["ms"],
    }

    response = client.get(reverse("certification:download", args=[download_token(certificate)]))
    assert response.status_code == 503
    assert "Document temporairement indisponible" in response.content.decode()
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_django_errors_reach_the_log_once_through_the_root_handler():
    """Django's default handler of its ``django`` logger would print each error a second time."""
    import logging

    django_logger = logging.getLogger("django")
    assert django_logger.handlers == [] and django_logger.propagate
    assert logging.getLogger().handlers, "the root logger writes the log"
