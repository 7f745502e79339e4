"""Personal data held by the core app: e-mails sent to a person, audit-log entries about them.

The core app sits below privacy and knows nothing of it, so its provider is declared here and
listed first in ``academy.privacy.personal_data.PROVIDERS`` (core's place among the apps).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from academy.core.audit import person_reference
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.core.text import normalise_email

from .mailfolder import scrub_mail_folder
from .registry import ERASED_TEXT, PersonalDataProvider
from .scrub import contains_any, scrub_text, variants

EMAIL_RETENTION = timedelta(days=3 * 365)
AUDIT_RETENTION = timedelta(days=365)
AUDIT_RIGHTS_RETENTION = timedelta(days=5 * 365)


def _messages_to(email: str):
    candidates = OutboundEmail.objects.filter(to__icontains=email.split("@")[0])
    return [m for m in candidates if email in {normalise_email(a) for a in (m.to or [])}]


def _entries_about(email: str):
    """Audit entries about the person, found by the pseudonym typed events carry (never by free text)."""
    return AuditLogEntry.objects.filter(person_ref=person_reference(email)).order_by("at", "pk")


def _messages_mentioning(email: str, exclude: set[int]) -> list[OutboundEmail]:
    """Messages to other people that name the person (by address, name or phone), e.g. staff notifications."""
    from .services import person_identifiers

    texts = variants(person_identifiers(email))
    found = OutboundEmail.objects.filter(contains_any(("subject", "body_text", "body_html"), texts))
    return [m for m in found.exclude(pk__in=exclude).order_by("created_at", "pk")]


def export(email: str) -> dict:
    """Return the messages sent to the person, those that mention them, and audit events about them."""
    to_person = _messages_to(email)
    messages = [
        {
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            "to": m.to,
            "subject": m.subject,
            "status": m.status,
            "category": m.category,
            "body_text": m.body_text,
            "attachments": [a.get("filename", "") for a in m.attachments or []],
        }
        for m in to_person
    ]
    mentioning = [
        {
            "created_at": m.created_at.isoformat(),
            "to": m.to,
            "subject": m.subject,
            "category": m.category,
            "body_text": m.body_text,
        }
        for m in _messages_mentioning(email, exclude={m.pk for m in to_person})
    ]
    entries = [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "event": e.event,
            "data": e.data,
            "summary": e.summary,
        }
        for e in _entries_about(email)
    ]
    data = {}
    if messages:
        data["emails"] = messages
    if mentioning:
        data["emails_mentioning"] = mentioning
    if entries:
        data["audit_log"] = entries
    return data


def erase(email: str) -> int:
    """Empty every message sent to the person (the row stays, so counts of messages sent hold).

    A message not delivered yet goes to its other recipients alone, or, when it was for the person
    only, is given up ("failed", no next attempt): nothing reaches the person after erasure. Audit events about the person, found by their pseudonym, are unlinked from it.
    """
    changed = 0
    for message in _messages_to(email):
        others = [a for a in message.to or [] if normalise_email(a) != email]
        if message.status != OutboundEmail.Status.SENT and others:
            # Not sent yet and also for others (a cancellation to the trainee and their contact):
            # the others still get it, the person does not; ``scrub`` then removes their name.
            message.to = others
            message.display_names = {a: n for a, n in (message.display_names or {}).items() if a in others}
            message.save(update_fields=["to", "display_names", "updated_at"])
            changed += 1
            continue
        if message.status != OutboundEmail.Status.SENT:
            message.status = OutboundEmail.Status.FAILED
            message.next_attempt_at = None
        message.to = [ERASED_TEXT]
        message.display_names = {}
        message.reply_to = []
        message.subject = ERASED_TEXT
        message.body_text = ""
        message.body_html = ""
        message.attachments = []
        message.error = "" if message.status == OutboundEmail.Status.SENT else "Not delivered: the person was erased."
        message.save(
            update_fields=[
                "status",
                "next_attempt_at",
                "to",
                "display_names",
                "reply_to",
                "subject",
                "body_text",
                "body_html",
                "attachments",
                "error",
                "updated_at",
            ]
        )
        changed += 1
    # Typed audit events stay (they are evidence about enrolments, signatures, certificates) but
    # lose the pseudonym that tied them to the person; the objects they point to are anonymised
    # by their own apps.
    changed += _entries_about(email).update(person_ref="")
    return changed


def scrub(texts: list[str]) -> int:
    """Remove ``texts`` from messages to other people, audit-log summaries and the development mail folder.

    A message that mentioned the person also loses its attachments (documents may name them). The
    mail folder (``EMAIL_FILE_PATH`` of the file e-mail backend, ``make run``) is scrubbed the same
    way (``mailfolder.scrub_mail_folder``).
    """
    texts = variants(texts)
    if not texts:
        return 0
    changed = 0
    if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        changed += scrub_mail_folder(getattr(settings, "EMAIL_FILE_PATH", ""), texts)
    fields = ("subject", "body_text", "body_html", "to", "reply_to", "error")
    for message in OutboundEmail.objects.filter(contains_any(fields, texts)):
        message.subject = scrub_text(message.subject, texts)
        message.body_text = scrub_text(message.body_text, texts)
        message.body_html = scrub_text(message.body_html, texts)
        message.error = scrub_text(message.error, texts)
        message.to = [scrub_text(a, texts) for a in message.to or []]
        message.reply_to = [scrub_text(a, texts) for a in message.reply_to or []]
        message.display_names = {a: scrub_text(n, texts) for a, n in (message.display_names or {}).items()}
        message.attachments = []
        message.save()
        changed += 1
    for entry in AuditLogEntry.objects.filter(contains_any(("summary", "actor_label", "object_id"), texts)):
        entry.summary = scrub_text(entry.summary, texts)
        entry.actor_label = scrub_text(entry.actor_label, texts)
        entry.object_id = scrub_text(entry.object_id, texts)[:64]
        entry.save(update_fields=["summary", "actor_label", "object_id"])
        changed += 1
    return changed


def apply_retention(now: datetime) -> int:
    """Delete e-mails older than 3 years, audit entries older than 1 year (exports and erasures: 5 years)."""
    emails, _ = OutboundEmail.objects.filter(created_at__lt=now - EMAIL_RETENTION).delete()
    audit, _ = (
        AuditLogEntry.objects.filter(at__lt=now - AUDIT_RETENTION)
        .exclude(action__in=[AuditLogEntry.Action.EXPORT, AuditLogEntry.Action.ERASE])
        .delete()
    )
    rights, _ = AuditLogEntry.objects.filter(at__lt=now - AUDIT_RIGHTS_RETENTION).delete()
    return emails + audit + rights


PROVIDER = PersonalDataProvider(
    app_label="core",
    export=export,
    erase=erase,
    scrub=scrub,
    apply_retention=apply_retention,
    retained=[],
)
