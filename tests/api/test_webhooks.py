"""Webhooks: a real HTTP receiver on a local port gets signed deliveries, and a retry after a 500."""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.utils import timezone

from academy.api import webhooks
from academy.api.models import WebhookDelivery, WebhookEndpoint
from academy.core.models import AuditLogEntry
from tests.enrolment.helpers import open_session
from tests.factories.api import webhook_endpoint
from tests.factories.privacy import staff_admin, staff_planner

from .helpers import ZOE, booking_body

pytestmark = pytest.mark.django_db

#: Ports this suite may listen on.
PORTS = range(8181, 8200)


class Receiver:
    """A local HTTP endpoint answering the statuses of ``answers`` in turn (200 once they run out)."""

    def __init__(self, answers=(200,)):
        self.answers = list(answers)
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"receiver down")

            def log_message(self, *args):
                pass

        for port in PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port in %s" % PORTS)
        self.url = "http://127.0.0.1:%d/hooks/academy" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver():
    made = []

    def make(answers=(200,)):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for item in made:
        item.close()


def verified(endpoint: WebhookEndpoint, request: dict) -> bool:
    return webhooks.verify(endpoint.secret, request["headers"][webhooks.SIGNATURE_HEADER], request["body"])


def test_a_delivery_is_signed_and_retried_after_a_first_500(receiver, planner_api, django_capture_on_commit_callbacks):
    listener = receiver(answers=[500, 200])
    endpoint = webhook_endpoint(listener.url, events=["enrolment.confirmed"])

    with django_capture_on_commit_callbacks(execute=True):
        booked = planner_api.post("/api/v1/bookings/", booking_body(open_session(), ZOE)).json()

    delivery = WebhookDelivery.objects.get()
    assert len(listener.received) == 1
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.response_status == 500
    assert delivery.next_attempt_at is not None

    # The periodic job attempts it again once its back-off has passed.
    assert webhooks.retry_due(now=timezone.now()) == 0
    assert webhooks.retry_due(now=delivery.next_attempt_at + datetime.timedelta(seconds=1)) == 1

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 2
    first, second = listener.received
    assert verified(endpoint, first) and verified(endpoint, second)
    assert first["headers"][webhooks.DELIVERY_HEADER] == second["headers"][webhooks.DELIVERY_HEADER]
    payload = json.loads(second["body"])
    assert payload["event"] == "enrolment.confirmed"
    assert payload["object"]["id"] == str(booked["enrolments"][0]["id"])
    assert payload["object"]["representation"]["status"] == "confirmed"


def test_a_tampered_body_or_an_old_timestamp_fails_verification():
    body = webhooks.body_bytes({"event": "invoice.paid"})
    header = webhooks.sign("secret", 1_700_000_000, body)
    assert webhooks.verify("secret", header, body, now=1_700_000_010)
    assert not webhooks.verify("secret", header, body + b" ", now=1_700_000_010)
    assert not webhooks.verify("other", header, body, now=1_700_000_010)
    assert not webhooks.verify("secret", header, body, now=1_700_000_000 + 3600)
    assert not webhooks.verify("secret", "garbage", body)


def test_only_subscribed_active_endpoints_receive_an_event(django_capture_on_commit_callbacks, planner_api):
    webhook_endpoint("https://a.exemple.fr/", events=["invoice.paid"])
    webhook_endpoint("https://b.exemple.fr/", events=["enrolment.confirmed"], is_active=False)
    with django_capture_on_commit_callbacks(execute=False):
        planner_api.post("/api/v1/bookings/", booking_body(open_session(), ZOE))
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_is_given_up_after_the_last_attempt(settings, receiver):
    settings.ACADEMY_WEBHOOK_MAX_ATTEMPTS = 2
    listener = receiver(answers=[500, 500, 500])
    endpoint = webhook_endpoint(listener.url)
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="enrolment.confirmed", payload={"a": 1})
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    webhooks.deliver(delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.next_attempt_at is None
    assert len(listener.received) == 2


def test_an_unreachable_endpoint_is_logged_as_a_failure():
    endpoint = webhook_endpoint("http://127.0.0.1:8199/nobody-listens")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="enrolment.confirmed", payload={})
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.FAILED
    delivery.refresh_from_db()
    assert delivery.error and delivery.response_status is None


def test_staff_replay_a_delivery_from_the_webhook_page(receiver, django_capture_on_commit_callbacks):
    listener = receiver()
    endpoint = webhook_endpoint(listener.url)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="enrolment.confirmed", payload={"event": "enrolment.confirmed"}
    )
    client = Client()
    client.force_login(staff_admin())
    page = client.get("/staff/api/webhooks/%d/" % endpoint.pk)
    assert endpoint.secret in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/api/deliveries/%d/replay/" % delivery.pk)
    assert response.status_code == 302
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert again.status == WebhookDelivery.Status.DELIVERED and again.event_id == delivery.event_id
    assert verified(endpoint, listener.received[0])
    assert AuditLogEntry.objects.filter(event="webhook.replayed").count() == 1


@pytest.mark.parametrize("url", ["ftp://hooks.exemple.fr/x", "javascript:alert(1)", "file:///etc/passwd", "hooks"])
def test_only_http_and_https_targets_are_accepted(url):
    client = Client()
    client.force_login(staff_admin())
    response = client.post("/staff/api/webhooks/", {"name": "X", "url": url, "events": ["invoice.paid"]})
    assert response.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_a_planner_cannot_manage_webhooks():
    client = Client()
    client.force_login(staff_planner())
    response = client.post(
        "/staff/api/webhooks/", {"name": "X", "url": "https://hooks.exemple.fr/", "events": ["invoice.paid"]}
    )
    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "audit_event,webhook_event",
    [
        ("enrolment.cancelled", "enrolment.cancelled"),
        ("course_session.cancelled", "session.status_changed"),
        ("attendance.signed", "attendance.signed"),
        ("attendance.countersigned", "attendance.signed"),
        ("certificate.issued", "certificate.issued"),
        ("invoice.issued", "invoice.issued"),
        ("invoice.paid", "invoice.paid"),
    ],
)
def test_each_product_event_reaches_the_endpoints_subscribed_to_it(audit_event, webhook_event):
    from academy.core.audit import record_event
    from tests.factories.enrolment import EnrolmentFactory

    subscribed = webhook_endpoint("https://a.exemple.fr/", events=[webhook_event])
    webhook_endpoint("https://b.exemple.fr/", events=[e for e in webhooks.WEBHOOK_EVENTS if e != webhook_event])
    enrolment = EnrolmentFactory()
    record_event(audit_event, obj=enrolment, data={"course_session": enrolment.course_session_id})
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint == subscribed and delivery.event == webhook_event
    assert delivery.payload["object"] == {
        "type": "enrolment.enrolment",
        "id": str(enrolment.pk),
        "representation": delivery.payload["object"]["representation"],
    }


def test_a_session_opened_by_staff_sends_its_new_status():
    from tests.factories.scheduling import CourseSessionFactory

    webhook_endpoint("https://a.exemple.fr/", events=["session.status_changed"])
    course_session = CourseSessionFactory(status="draft")
    course_session.status = "open"
    course_session.save()
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["data"] == {
        "course_session": course_session.pk,
        "previous_status": "draft",
        "status": "open",
    }


def test_the_last_seat_taken_and_a_seat_freed_send_the_open_full_switch(planner_api):
    webhook_endpoint("https://a.exemple.fr/", events=["session.status_changed"])
    course_session = open_session(capacity_seats=1)
    response = planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE))
    assert response.status_code == 201, response.content
    switched = WebhookDelivery.objects.get()
    assert switched.payload["data"] == {
        "course_session": course_session.pk,
        "previous_status": "open",
        "status": "full",
    }
    enrolment_id = response.json()["enrolments"][0]["id"]
    assert planner_api.post("/api/v1/enrolments/%d/cancel/" % enrolment_id).status_code == 200
    freed = WebhookDelivery.objects.exclude(pk=switched.pk).get()
    assert freed.payload["data"] == {"course_session": course_session.pk, "previous_status": "full", "status": "open"}


def test_with_the_database_queue_a_failed_delivery_is_queued_again_for_its_retry_time(settings, receiver):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    listener = receiver(answers=[503])
    endpoint = webhook_endpoint(listener.url)
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="enrolment.confirmed", payload={})

    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.FAILED

    delivery.refresh_from_db()
    queued = DBTaskResult.objects.get(task_path="academy.api.tasks.deliver_webhook")
    assert queued.run_after == delivery.next_attempt_at
    assert queued.args_kwargs["args"] == [delivery.pk]


def test_staff_send_a_signed_test_event_to_check_their_receiver(receiver, django_capture_on_commit_callbacks):
    listener = receiver()
    endpoint = webhook_endpoint(listener.url)
    client = Client()
    client.force_login(staff_admin())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/staff/api/webhooks/%d/ping/" % endpoint.pk).status_code == 302
    (request,) = listener.received
    assert request["headers"][webhooks.EVENT_HEADER] == "ping" and verified(endpoint, request)
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED
