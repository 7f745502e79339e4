"""Typed audit events: one registry of names, one way to write them.

A service that changes the state of an enrolment, an attendance record, a certificate or a
person's data writes exactly one typed event with ``record_event``. An event carries its name
(``enrolment.confirmed``), structured ``data`` (JSON, never free text typed by the public), a
reference to the object (content type + primary key) and, when it is about one person, a keyed
pseudonym of that person's e-mail (``person_ref``) so the rights of access and erasure find it
without reading free text (GDPR art. 5(2), 15, 17).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .text import normalise_email


@dataclass(frozen=True)
class AuditEvent:
    """One kind of audit event: its dotted ``name``, the coarse ``action`` it files under, a label."""

    name: str
    action: str
    label: str


def _events(*items: tuple[str, str, object]) -> dict[str, AuditEvent]:
    return {name: AuditEvent(name=name, action=action, label=label) for name, action, label in items}


#: Every typed audit event the product writes, by name. ``action`` is an ``AuditLogEntry.Action``.
AUDIT_EVENTS: dict[str, AuditEvent] = _events(
    ("enrolment.confirmed", "create", _("Enrolment confirmed")),
    ("enrolment.waitlisted", "create", _("Enrolment put on the waiting list")),
    ("enrolment.offered", "change", _("Seat offered from the waiting list")),
    ("enrolment.cancelled", "change", _("Enrolment cancelled")),
    ("enrolment.joining_instructions_sent", "change", _("Joining instructions sent")),
    ("course_session.cancelled", "change", _("Session cancelled")),
    ("course_session.capacity_raised", "change", _("Session capacity raised to confirm an enrolment by hand")),
    ("attendance.signed", "create", _("Attendance signed by the trainee")),
    ("attendance.countersigned", "create", _("Attendance countersigned by the trainer")),
    ("attendance.status_changed", "change", _("Attendance status changed")),
    ("attendance.signing_links_sent", "create", _("Signing links sent")),
    ("attendance.signing_refused", "refuse", _("Signing refused")),
    ("certificate.issued", "create", _("Certificate issued")),
    ("certificate.corrected", "change", _("Certificate corrected")),
    ("certificate.revoked", "change", _("Certificate revoked")),
    ("certificate.shared", "create", _("Certificate sent to the client organisation or its funder")),
    ("attendance_sheet.shared", "create", _("Attendance sheet sent to the client organisation or its funder")),
    ("invoice.drafted", "create", _("Invoice drafted")),
    ("invoice.issued", "create", _("Invoice issued")),
    ("invoice.credited", "change", _("Invoice cancelled by a credit note")),
    ("invoice.paid", "change", _("Invoice paid in full")),
    ("invoice.reminder_sent", "create", _("Payment reminder sent for an overdue invoice")),
    ("payment.recorded", "create", _("Payment recorded")),
    ("terms.published", "create", _("Terms of sale or internal rules published")),
    ("funding.set", "change", _("Funding of a booking set")),
    ("quote.issued", "create", _("Quote issued")),
    ("quote.accepted", "change", _("Quote accepted")),
    ("quote.declined", "change", _("Quote declined")),
    ("agreement.issued", "create", _("Training agreement or contract issued for signature")),
    ("agreement.signed", "change", _("Training agreement or contract signed by the client")),
    ("agreement.countersigned", "change", _("Training agreement or contract countersigned")),
    ("invoice.funding_type_set", "change", _("Funding type of an invoice set for the yearly report")),
    ("bpf.locked", "create", _("Yearly report (BPF) filed and locked")),
    ("complaint.received", "create", _("Complaint received")),
    ("complaint.answered", "change", _("Complaint answered")),
    ("complaint.closed", "change", _("Complaint closed")),
    ("improvement_action.created", "create", _("Improvement action created")),
    ("improvement_action.updated", "change", _("Improvement action updated")),
    ("adaptation.recorded", "change", _("Adaptation of a course recorded for a trainee")),
    ("enrolment.dropped_out", "change", _("Trainee's drop-out recorded")),
    ("absence.detected", "create", _("Absence detected and trainee contacted")),
    ("absence.followed_up", "change", _("Absence followed up")),
    ("attestation.issued", "create", _("End-of-training attestation issued")),
    ("evidence_pack.built", "create", _("Evidence pack built")),
    ("personal_data.exported", "export", _("Personal data exported")),
    ("personal_data.erased", "erase", _("Personal data erased")),
    ("api_token.created", "create", _("API token created")),
    ("api_token.revoked", "change", _("API token revoked")),
    ("api_token.used", "view", _("API token used")),
    ("webhook.replayed", "create", _("Webhook delivery replayed")),
)


class UnknownAuditEvent(ValueError):
    """Raised when writing an event whose name is not in ``AUDIT_EVENTS``."""


def person_reference(email: str) -> str:
    """Return a keyed pseudonym of ``email`` (16 hex characters, HMAC-SHA256 with SECRET_KEY).

    Audit entries keep it instead of the address; the same address always gives the same value.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), normalise_email(email).encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def record_event(
    event: str,
    *,
    obj: object | None = None,
    data: dict | None = None,
    person_email: str = "",
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    actor=None,
    request: HttpRequest | None = None,
):
    """Write one typed audit event ``event`` about ``obj`` and return the ``AuditLogEntry``.

    ``data`` must be JSON-serialisable (ids, statuses, counts, dates as ISO strings). When ``obj``
    is a model instance its content type and primary key are stored; ``object_type``/``object_id``
    name a thing that is not a row (``"person"`` + pseudonym). ``person_email`` is stored only as
    its keyed pseudonym. Raises ``UnknownAuditEvent`` for a name missing from ``AUDIT_EVENTS``.
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditLogEntry

    kind = AUDIT_EVENTS.get(event)
    if kind is None:
        raise UnknownAuditEvent("Unknown audit event %r: add it to academy.core.audit.AUDIT_EVENTS." % event)
    user = actor
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    content_type = None
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj)
        object_type = object_type or "%s.%s" % (content_type.app_label, content_type.model)
        object_id = object_id or str(getattr(obj, "pk", ""))
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditLogEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user is not None else "")[:200],
        action=kind.action,
        event=event,
        data=data or {},
        content_type=content_type,
        object_type=object_type,
        object_id=object_id,
        person_ref=person_reference(person_email) if person_email else "",
        summary=(summary or str(kind.label))[:500],
        ip_address=ip or None,
    )


def entries_about(obj) -> object:
    """Return the audit entries referring to model instance ``obj`` (by content type and primary key)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditLogEntry

    return AuditLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
