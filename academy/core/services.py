"""Services shared by every app: queueing e-mail and writing the audit log."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.http import HttpRequest

from .models import AuditLogEntry, OutboundEmail
from .text import single_line


def queue_email(
    *,
    to: Sequence[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    reply_to: Sequence[str] = (),
    category: str = "",
    display_names: dict[str, str] | None = None,
) -> OutboundEmail:
    """Store an e-mail and deliver it in a background task once the transaction commits.

    Prefer ``academy.core.notifications.notify``, which renders an event's templates and calls
    this. ``attachments`` are ``(filename, content bytes, mimetype)`` triples. ``display_names``
    maps an address of ``to``/``reply_to`` to the name shown with it. The subject and names are
    folded to one line so user-typed text cannot inject headers. Returns the stored message.
    """
    email = OutboundEmail.objects.create(
        to=[single_line(a) for a in to],
        display_names={single_line(a): single_line(n) for a, n in (display_names or {}).items() if single_line(n)},
        subject=single_line(subject)[:300],
        body_text=body_text,
        body_html=body_html,
        attachments=[
            {"filename": single_line(name), "mimetype": mimetype, "content_b64": base64.b64encode(content).decode()}
            for name, content, mimetype in attachments
        ],
        reply_to=[single_line(a) for a in reply_to],
        category=category,
    )
    from .tasks import deliver_email

    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


_back_office_users = None


def register_back_office_users(query) -> None:
    """Let the app that owns roles say who works in the back office.

    ``query`` is a callable returning a queryset of the active users holding a back-office role
    (administrators, superusers included, and planners); ``staff_recipients`` e-mails them when
    nothing else is configured. Called once from ``AccountsConfig.ready()``.
    """
    global _back_office_users
    _back_office_users = query


def staff_recipients() -> list[str]:
    """Return who hears about requests, bookings and cancellations.

    In order: the setting ``ACADEMY_STAFF_EMAILS`` (environment variable, comma-separated), else the
    organisation's contact e-mail, else the e-mail of every active user holding a back-office role
    (administrator or planner, see ``register_back_office_users``; active superusers only when no
    rule is registered). A staff account without a role never receives trainees' personal data
    this way. May be empty.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from .models import TrainingOrganisation

    configured = [a.strip() for a in getattr(settings, "ACADEMY_STAFF_EMAILS", []) if a.strip()]
    if configured:
        return configured
    email = TrainingOrganisation.current().email
    if email:
        return [email]
    if _back_office_users is None:
        users = get_user_model().objects.filter(is_superuser=True, is_active=True)
    else:
        users = _back_office_users()
    return sorted({user.email for user in users.exclude(email="")})


def record_audit(
    *,
    action: str,
    obj: object | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    request: HttpRequest | None = None,
    actor=None,
) -> AuditLogEntry:
    """Append an audit-log entry for ``action`` on ``obj`` (or on ``object_type``/``object_id``).

    The actor is ``actor`` or the request's authenticated user; the entry keeps a text label so it
    stays readable after the user is deleted.
    """
    user = actor
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or "%s.%s" % (obj._meta.app_label, obj._meta.model_name)  # type: ignore[attr-defined]
        object_id = object_id or str(getattr(obj, "pk", ""))
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditLogEntry.objects.create(
        actor=user,
        actor_label=(user.get_username() if user is not None else "")[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        ip_address=ip or None,
    )
