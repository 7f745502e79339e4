"""Delivery: retries with back-off, never twice once sent, recovery of work a dead worker left."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from academy.core import delivery
from academy.core.models import OutboundEmail
from academy.core.services import queue_email
from academy.core.tasks import deliver_email

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class BrokenBackend:
    """An e-mail backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = "tests.core.test_delivery.BrokenBackend"


def _stored(**kwargs) -> OutboundEmail:
    return OutboundEmail.objects.create(to=["zoe@exemple.fr"], subject="Objet", body_text="Bonjour", **kwargs)


def test_a_failed_delivery_is_stored_with_its_error_and_retried_a_minute_later(broken_mail):
    message = _stored()
    now = timezone.now()
    assert delivery.deliver(message.pk, now=now) == OutboundEmail.Status.FAILED
    message.refresh_from_db()
    assert message.attempts == 1
    assert message.error == "ConnectionRefusedError: SMTP server unreachable"
    assert message.next_attempt_at == now + datetime.timedelta(minutes=1)


def test_the_wait_between_attempts_doubles():
    assert [delivery.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_after_the_last_attempt_no_further_attempt_is_planned(broken_mail, settings):
    settings.ACADEMY_EMAIL_MAX_ATTEMPTS = 3
    message = _stored()
    for _ in range(3):
        delivery.deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("failed", 3, None)
    assert message.given_up
    assert delivery.retry_due_emails(now=timezone.now() + datetime.timedelta(days=1)) == 0


def test_the_periodic_work_delivers_a_failed_message_once_its_retry_is_due(broken_mail, settings):
    message = _stored()
    delivery.deliver(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.retry_due_emails(now=timezone.now()) == 0  # not yet due
    assert delivery.retry_due_emails(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("sent", 2, None)
    assert len(mail.outbox) == 1


def test_a_message_marked_sent_is_never_sent_again():
    message = _stored()
    deliver_email.enqueue(message.pk)
    deliver_email.enqueue(message.pk)
    delivery.retry_due_emails(now=timezone.now() + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_a_message_being_sent_by_a_live_worker_is_left_alone_and_taken_over_once_stale():
    message = _stored(status=OutboundEmail.Status.SENDING, attempts=1, last_attempt_at=timezone.now())
    assert delivery.deliver(message.pk) == "sending"
    assert mail.outbox == []
    later = timezone.now() + delivery.stale_after() + datetime.timedelta(seconds=1)
    assert list(delivery.due_for_delivery(later)) == [message]
    assert delivery.deliver(message.pk, now=later) == "sent"
    assert len(mail.outbox) == 1


def test_a_queued_message_whose_task_was_lost_is_delivered_by_the_periodic_work():
    message = _stored()
    OutboundEmail.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    assert delivery.retry_due_emails() == 1
    message.refresh_from_db()
    assert message.status == "sent"


def test_a_task_left_running_by_a_dead_worker_is_put_back_in_the_queue(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    fresh = DBTaskResult.objects.get(pk=deliver_email.enqueue(1).id)
    stale = DBTaskResult.objects.get(pk=deliver_email.enqueue(2).id)
    long_ago = timezone.now() - delivery.stale_after() - datetime.timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=fresh.pk).update(status="RUNNING", started_at=timezone.now())
    DBTaskResult.objects.filter(pk=stale.pk).update(status="RUNNING", started_at=long_ago)
    assert delivery.recover_stale_tasks() == 1
    assert DBTaskResult.objects.get(pk=stale.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"


def test_the_periodic_work_command_recovers_stale_tasks_and_queues_due_deliveries(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    stale = DBTaskResult.objects.get(pk=deliver_email.enqueue(1).id)
    long_ago = timezone.now() - delivery.stale_after() - datetime.timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=stale.pk).update(status="RUNNING", started_at=long_ago)
    out = io.StringIO()
    call_command("run_periodic_work", only=["core.deliver_due_emails"], stdout=out)
    assert "re-queued 1 interrupted task(s)" in out.getvalue()
    assert "enqueued core.deliver_due_emails" in out.getvalue()
    assert DBTaskResult.objects.get(pk=stale.pk).status == "READY"


def test_staff_see_failing_deliveries_with_attempts_and_last_error(client, admin_user, broken_mail):
    message = queue_email(to=["zoe@exemple.fr"], subject="Convocation Zoë", body_text="Bonjour")
    delivery.deliver(message.pk)
    client.force_login(admin_user)
    html = client.get(reverse("core:outbox")).content.decode()
    assert "1 envoi en échec" in html
    assert "ConnectionRefusedError: SMTP server unreachable" in html
    assert reverse("core:outbox_retry", args=[message.pk]) in html


def test_staff_retry_a_failed_delivery_now(
    client, admin_user, broken_mail, settings, django_capture_on_commit_callbacks
):
    message = queue_email(to=["zoe@exemple.fr"], subject="Convocation", body_text="Bonjour")
    delivery.deliver(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(admin_user)
    response = client.post(reverse("core:outbox_retry", args=[message.pk]), follow=True)
    assert "Une nouvelle tentative d’envoi est programmée pour « Convocation »." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_retrying_a_message_that_is_not_failing_changes_nothing(client, admin_user):
    message = _stored(status=OutboundEmail.Status.SENT)
    client.force_login(admin_user)
    response = client.post(reverse("core:outbox_retry", args=[message.pk]), follow=True)
    assert "« Objet » n’est pas en échec : rien à renvoyer." in response.content.decode()
    assert mail.outbox == []


def test_retry_is_refused_to_the_public_and_to_a_get(client, admin_user):
    message = _stored(status=OutboundEmail.Status.FAILED)
    assert client.post(reverse("core:outbox_retry", args=[message.pk])).status_code == 302
    client.force_login(admin_user)
    assert client.get(reverse("core:outbox_retry", args=[message.pk])).status_code == 405
    message.refresh_from_db()
    assert message.attempts == 0
