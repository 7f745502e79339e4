"""Background tasks of the core app (Django Tasks API, django-tasks backport)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from .models import OutboundEmail


@task()
def deliver_email(email_id: int) -> str:
    """Send the stored e-mail ``email_id`` through the configured backend; returns its new status.

    A failure is recorded on the message (status "failed" with the error) and re-raised so the
    task backend shows it.
    """
    email = OutboundEmail.objects.get(pk=email_id)
    if email.status == OutboundEmail.Status.SENT:
        return email.status
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        reply_to=email.reply_to or None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    try:
        message.send()
    except Exception as exc:
        email.status = OutboundEmail.Status.FAILED
        email.error = str(exc)[:2000]
        email.save(update_fields=["status", "error", "updated_at"])
        raise
    email.status = OutboundEmail.Status.SENT
    email.sent_at = timezone.now()
    email.save(update_fields=["status", "sent_at", "updated_at"])
    return email.status
