"""Outgoing webhooks: which product events are sent, how they are signed, delivered and retried.

Events come from the typed audit log (``academy.core.audit``): when an audit entry of a mapped
kind is written, one delivery per subscribed endpoint is stored in the same transaction, and sent
by a background task after commit. No lower app knows about webhooks.

Signature (header ``Academy-Signature: t=<unix seconds>,v1=<hex>``): HMAC-SHA256, keyed with the
endpoint's secret, of ``<t>.`` followed by the raw request body. A receiver recomputes it,
compares in constant time and refuses a ``t`` older than a few minutes (replay protection).

Delivery: a 2xx answer within ``ACADEMY_WEBHOOK_TIMEOUT`` seconds (10) counts as delivered.
Anything else is retried after 1, 2, 4, 8… minutes, ``ACADEMY_WEBHOOK_MAX_ATTEMPTS`` (8) attempts
in all; staff may replay any delivery from the webhook page.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Academy-Signature"
EVENT_HEADER = "Academy-Event"
DELIVERY_HEADER = "Academy-Delivery"
RETRY_BASE = datetime.timedelta(minutes=1)

#: The events an endpoint may subscribe to, with their labels.
WEBHOOK_EVENTS = {
    "enrolment.confirmed": _("Enrolment confirmed"),
    "enrolment.cancelled": _("Enrolment cancelled"),
    "session.status_changed": _("Session status changed (opened, closed, completed, cancelled)"),
    "attendance.signed": _("Attendance signed (trainee or trainer)"),
    "certificate.issued": _("Certificate issued"),
    "invoice.issued": _("Invoice issued"),
    "invoice.paid": _("Invoice paid"),
}

#: Audit event → webhook event.
AUDIT_TO_WEBHOOK = {
    "enrolment.confirmed": "enrolment.confirmed",
    "enrolment.cancelled": "enrolment.cancelled",
    "course_session.cancelled": "session.status_changed",
    "attendance.signed": "attendance.signed",
    "attendance.countersigned": "attendance.signed",
    "certificate.issued": "certificate.issued",
    "invoice.issued": "invoice.issued",
    "invoice.paid": "invoice.paid",
}


def new_secret() -> str:
    """A signing secret for a new endpoint (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def max_attempts() -> int:
    return max(1, int(getattr(settings, "ACADEMY_WEBHOOK_MAX_ATTEMPTS", 8)))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait after the ``attempts``-th failed attempt: 1 minute, doubled after each failure."""
    return RETRY_BASE * (2 ** max(0, attempts - 1))


def body_bytes(payload: dict) -> bytes:
    """The exact bytes sent for ``payload`` (compact JSON, keys sorted, UTF-8)."""
    return json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``Academy-Signature`` header value for ``body`` sent at ``timestamp`` (unix seconds)."""
    digest = hmac.new(secret.encode(), b"%d." % timestamp + body, hashlib.sha256).hexdigest()
    return "t=%d,v1=%s" % (timestamp, digest)


def verify(secret: str, header: str, body: bytes, *, tolerance_seconds: int = 300, now: float | None = None) -> bool:
    """True when ``header`` is a valid signature of ``body`` made less than ``tolerance_seconds`` ago.

    The receiving side of ``sign``, given here so that tests and integrators share one reference.
    """
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance_seconds:
        return False
    expected = hmac.new(secret.encode(), b"%d." % timestamp + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


# Events -------------------------------------------------------------------------------------------


def _object_data(entry) -> dict:
    """The current representation of the event's object, as the API shows it (staff view)."""
    from . import serializers

    if entry.content_type is None or not entry.object_id:
        return {}
    model = entry.content_type.model_class()
    by_model = {
        "enrolment.enrolment": serializers.EnrolmentSerializer,
        "scheduling.coursesession": None,
        "certification.certificate": serializers.CertificateSerializer,
        "invoicing.invoice": serializers.InvoiceSerializer,
    }
    serializer = by_model.get("%s.%s" % (entry.content_type.app_label, entry.content_type.model))
    if model is None or serializer is None:
        return {}
    obj = model._default_manager.filter(pk=entry.object_id).first()
    return serializer(obj).data if obj is not None else {}


def queue_event(event: str, *, object_type: str, object_id: str, data: dict, representation: dict | None = None):
    """Store one delivery of ``event`` per active endpoint subscribed to it; send them after commit.

    Returns the deliveries created (none when nobody subscribed).
    """
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if event in (e.events or [])]
    if not endpoints:
        return []
    import uuid

    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "object": {"type": object_type, "id": object_id},
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
    }
    if representation:
        payload["object"]["representation"] = json.loads(json.dumps(representation, cls=DjangoJSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=e, event=event, event_id=event_id, payload=payload) for e in endpoints]
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue_all(ids))
    return deliveries


def _enqueue_all(ids: list[int]) -> None:
    from .tasks import deliver_webhook

    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id)


def on_audit_entry(sender, instance, created, **kwargs) -> None:
    """Turn a new audit entry of a mapped kind into webhook deliveries (``post_save`` of AuditLogEntry)."""
    if not created or kwargs.get("raw"):
        return
    event = AUDIT_TO_WEBHOOK.get(instance.event)
    if event is None:
        return
    data = dict(instance.data or {})
    if instance.event == "course_session.cancelled":
        data["status"] = "cancelled"
    if instance.event.startswith("attendance."):
        data["signed_by"] = "trainer" if instance.event.endswith("countersigned") else "trainee"
    queue_event(
        event,
        object_type=instance.object_type,
        object_id=instance.object_id,
        data=data,
        representation=_object_data(instance),
    )


def _remember_status(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or not instance.pk:
        instance._api_previous_status = None
        return
    instance._api_previous_status = (
        type(instance).objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def on_session_saved(sender, instance, created, **kwargs) -> None:
    """A session saved with a new status sends ``session.status_changed`` (cancellation comes from its audit event)."""
    previous = getattr(instance, "_api_previous_status", None)
    if kwargs.get("raw") or created or previous is None or previous == instance.status:
        return
    if instance.status == "cancelled":
        return  # sent from the ``course_session.cancelled`` audit event, with its reason
    queue_event(
        "session.status_changed",
        object_type="scheduling.coursesession",
        object_id=str(instance.pk),
        data={"course_session": instance.pk, "previous_status": previous, "status": instance.status},
    )


def on_session_switched(sender, course_session, previous, status, **kwargs) -> None:
    """Seats taken switched the session between "open" and "full": ``session.status_changed``."""
    queue_event(
        "session.status_changed",
        object_type="scheduling.coursesession",
        object_id=str(course_session.pk),
        data={"course_session": course_session.pk, "previous_status": previous, "status": status},
    )


def connect_signals() -> None:
    """Connect the audit log and session signals (from ``ApiConfig.ready``)."""
    from django.db.models.signals import post_save, pre_save

    from academy.core.models import AuditLogEntry
    from academy.enrolment.signals import session_status_switched
    from academy.scheduling.models import CourseSession

    post_save.connect(on_audit_entry, sender=AuditLogEntry, dispatch_uid="api.webhooks.audit", weak=False)
    pre_save.connect(_remember_status, sender=CourseSession, dispatch_uid="api.webhooks.session_pre", weak=False)
    post_save.connect(on_session_saved, sender=CourseSession, dispatch_uid="api.webhooks.session_post", weak=False)
    session_status_switched.connect(on_session_switched, dispatch_uid="api.webhooks.session_switched", weak=False)


# Delivery -----------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer, not a delivery: it is retried like a failure


def _post(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    """POST ``body``; return (status, first 1,000 characters of the answer). Raises OSError on network errors."""
    timeout = float(getattr(settings, "ACADEMY_WEBHOOK_TIMEOUT", 10))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read(1000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, (exc.read(1000) or b"").decode("utf-8", "replace")


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    claimable = Q(status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED]) | Q(
        status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=now - datetime.timedelta(minutes=30)
    )
    return bool(
        WebhookDelivery.objects.filter(claimable, pk=delivery_id).update(
            status=WebhookDelivery.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None
        )
    )


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Make one attempt to send delivery ``delivery_id``; return its status afterwards.

    Leaves alone a delivery already delivered or being sent. A failure stores the answer or the
    error and the next attempt time (none after ``max_attempts()``); it is never raised.
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return WebhookDelivery.objects.get(pk=delivery_id).status
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = body_bytes(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Academy-Webhooks/1",
        SIGNATURE_HEADER: sign(endpoint.secret, int(time.time()), body),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
    }
    status_code, answer, error = None, "", ""
    try:
        status_code, answer = _post(endpoint.url, body, headers)
    except (OSError, ValueError) as exc:
        error = ("%s: %s" % (type(exc).__name__, exc))[:1000]
    delivery.response_status = status_code
    delivery.response_body = answer[:1000]
    delivery.error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    else:
        logger.warning("Webhook delivery %s to %s failed (attempt %s)", delivery.pk, endpoint.url, delivery.attempts)
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = now + retry_delay(delivery.attempts) if delivery.attempts < max_attempts() else None
    delivery.save(
        update_fields=["status", "response_status", "response_body", "error", "delivered_at", "next_attempt_at"]
    )
    if delivery.next_attempt_at is not None:
        _schedule_retry(delivery)
    return delivery.status


def _schedule_retry(delivery: WebhookDelivery) -> None:
    """Queue the next attempt at its time when the task backend can defer; else the periodic job does."""
    from .tasks import deliver_webhook

    if deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def due_deliveries(now: datetime.datetime | None = None):
    """Deliveries to attempt now: failed ones whose next attempt is due, and pending ones left behind."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        Q(status=WebhookDelivery.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=WebhookDelivery.Status.PENDING, created_at__lt=now - datetime.timedelta(minutes=5))
        | Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lt=now - datetime.timedelta(minutes=30))
    )


def retry_due(*, now: datetime.datetime | None = None) -> int:
    """Attempt every due delivery now (periodic job); return how many were attempted."""
    ids = list(due_deliveries(now).values_list("pk", flat=True)[:500])
    for delivery_id in ids:
        deliver(delivery_id, now=now)
    return len(ids)


def ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a ``ping`` event to ``endpoint`` alone, so staff can check the receiver and its signature check."""
    import uuid

    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": "ping",
        "created_at": timezone.now().isoformat(),
        "object": {"type": "api.webhookendpoint", "id": str(endpoint.pk)},
        "data": {},
    }
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="ping", event_id=event_id, payload=payload)
        transaction.on_commit(lambda: _enqueue_all([delivery.pk]))
    return delivery


def replay(delivery: WebhookDelivery, *, by) -> WebhookDelivery:
    """Send ``delivery``'s event again to its endpoint as a new delivery (same event id); return it."""
    from academy.core.audit import record_event

    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint, event=delivery.event, event_id=delivery.event_id, payload=delivery.payload
        )
        record_event("webhook.replayed", obj=again, actor=by, data={"replay_of": delivery.pk, "event": delivery.event})
        transaction.on_commit(lambda: _enqueue_all([again.pk]))
    return again
