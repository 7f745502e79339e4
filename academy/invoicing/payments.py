"""Payments received, the balance of an invoice and its payment status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event

from .exceptions import InvoiceError
from .models import Invoice, Payment


def record_payment(
    invoice: Invoice,
    *,
    amount,
    paid_on: dt.date,
    method: str = Payment.Method.TRANSFER,
    reference: str = "",
    actor=None,
    request=None,
) -> Payment:
    """Record a payment of ``amount`` euros received on ``paid_on`` against the issued ``invoice``.

    The invoice becomes "partially paid" or, once its balance reaches 0, "paid". Raises
    ``InvoiceError`` for a draft, a credit note, a cancelled invoice, an amount that is not a
    positive number of cents or exceeds the balance, a date in the future or before the issue date,
    or an unknown method. Writes ``payment.recorded`` (and ``invoice.paid`` when settled).
    """
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvoiceError(_("The amount must be a positive number of euros with at most two decimals."))
    if method not in Payment.Method.values:
        raise InvoiceError(_("Unknown payment method %(method)s.") % {"method": method})
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.kind != Invoice.Kind.INVOICE:
            raise InvoiceError(_("A credit note is not paid: record payments on invoices."))
        if locked.status == Invoice.Status.DRAFT:
            raise InvoiceError(_("Issue the invoice before recording a payment."))
        if locked.status == Invoice.Status.CREDITED:
            raise InvoiceError(_("Invoice %(number)s is cancelled by a credit note.") % {"number": locked.number})
        if paid_on > timezone.localdate():
            raise InvoiceError(_("The payment date cannot be in the future."))
        if paid_on < locked.issue_date:
            raise InvoiceError(_("The payment date is before the invoice date."))
        paid = locked.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        balance = locked.total_gross - paid
        if amount > balance:
            raise InvoiceError(
                _("The amount %(amount)s € exceeds the balance of invoice %(number)s, %(balance)s €.")
                % {"amount": amount, "number": locked.number, "balance": balance}
            )
        payment = Payment.objects.create(
            invoice=locked,
            amount=amount,
            paid_on=paid_on,
            method=method,
            reference=(reference or "").strip()[:100],
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        settled = amount == balance
        status = Invoice.Status.PAID if settled else Invoice.Status.PARTIALLY_PAID
        Invoice.objects.filter(pk=locked.pk).update(status=status, updated_at=timezone.now())
        record_event(
            "payment.recorded",
            obj=locked,
            actor=actor,
            request=request,
            data={"number": locked.number, "amount": str(amount), "method": method, "payment": payment.pk},
        )
        if settled:
            record_event("invoice.paid", obj=locked, actor=actor, request=request, data={"number": locked.number})
    return payment
