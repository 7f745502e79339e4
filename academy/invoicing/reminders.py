"""Reminders for overdue invoices, sent by the periodic work at most once every N days."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy.core.audit import record_event
from academy.core.notifications import notify

from .einvoice import late_payment_text
from .models import Invoice

#: E-mail events of invoicing (``academy.core.notifications``).
EMAIL_EVENTS = {
    "invoicing.payment_reminder": "To the billing address of an overdue invoice: the amount left to pay.",
}


def overdue_invoices(today=None):
    """Return issued invoices (not credit notes) still owed after their due date, oldest due first."""
    today = today or timezone.localdate()
    return Invoice.objects.filter(
        kind=Invoice.Kind.INVOICE,
        status__in=[Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID],
        due_date__lt=today,
    ).order_by("due_date", "number")


def send_overdue_reminders(*, now=None) -> int:
    """E-mail a reminder for each overdue invoice with a billing e-mail, unless one was sent in the
    last ``ACADEMY_INVOICE_REMINDER_DAYS`` days; return how many were sent. Idempotent: running it
    twice in a row sends nothing the second time."""
    now = now or timezone.now()
    interval = timedelta(days=settings.ACADEMY_INVOICE_REMINDER_DAYS)
    due = (
        overdue_invoices(timezone.localdate(now))
        .exclude(bill_to_email="")
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=now - interval))
    )
    sent = 0
    for invoice_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            invoice = (
                Invoice.objects.select_for_update()
                .filter(pk=invoice_id)
                .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=now - interval))
                .first()
            )
            if invoice is None or not invoice.is_overdue(timezone.localdate(now)):
                continue
            notify(
                event="invoicing.payment_reminder",
                to=invoice.bill_to_email,
                context={
                    "invoice": invoice,
                    "balance": invoice.balance,
                    "days_late": (timezone.localdate(now) - invoice.due_date).days,
                    "late_payment": late_payment_text(),
                },
                language="fr",
            )
            Invoice.objects.filter(pk=invoice.pk).update(
                last_reminder_at=now, reminders_sent=invoice.reminders_sent + 1
            )
            record_event(
                "invoice.reminder_sent",
                obj=invoice,
                data={"number": invoice.number, "reminder": invoice.reminders_sent + 1},
            )
            sent += 1
    return sent
