"""Invoices and credit notes (factures et avoirs), their lines and the yearly number counter.

An invoice is a draft until it is issued. Issuing gives it the next number of the one yearly
series (``2026-000123``), shared by invoices and credit notes: French law asks for one unbroken
chronological series (CGI art. 242 nonies A, BOI-TVA-DECLA-30-20-20), and a credit note is an
invoice that corrects another one. Once issued, an invoice and its lines are frozen, by the model
and by triggers in the database; a correction is a credit note that references it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from academy.commerce.models import FundingType
from academy.core.models import ClientOrganisation, TimeStampedModel
from academy.core.numbers import round_half_up
from academy.enrolment.models import Booking
from academy.scheduling.models import CourseSession

from .exceptions import InvoiceError

#: Mention printed and embedded (BT-120) on lines exempt from VAT as vocational training.
TRAINING_EXEMPTION_REASON = "Exonération de TVA, article 261-4-4°-a du CGI"


class InvoiceNumberCounter(models.Model):
    """The last number given in one year's series; its row is locked while an invoice is issued."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")

    def __str__(self) -> str:
        return "%s: %s" % (self.year, self.last_number)


class Invoice(TimeStampedModel):
    """An invoice or a credit note, with a snapshot of whom it bills (the buyer as it was then)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        CREDITED = "credited", _("Cancelled by a credit note")

    class PayerKind(models.TextChoices):
        CLIENT = "client", _("Client organisation")
        OPCO = "opco", _("OPCO")
        PERSON = "person", _("Person")
        PUBLIC = "public", _("Public funder")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("number"), max_length=20, null=True, blank=True, unique=True, editable=False)
    issue_date = models.DateField(_("issue date"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("due date"), null=True, blank=True, editable=False)
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=30)

    seller = models.JSONField(
        _("seller"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The training organisation's identity as printed on the invoice when it was issued."),
    )
    payer_kind = models.CharField(_("payer"), max_length=10, choices=PayerKind.choices)
    bill_to_name = models.CharField(_("billed to"), max_length=200)
    bill_to_address = models.TextField(_("billing address"))
    bill_to_email = models.EmailField(_("billing e-mail"), blank=True)
    bill_to_siret = models.CharField(_("buyer's SIRET"), max_length=14, blank=True)
    bill_to_vat_number = models.CharField(_("buyer's VAT number"), max_length=20, blank=True)
    bill_to_country = models.CharField(_("buyer's country"), max_length=2, default="FR")
    client_organisation = models.ForeignKey(
        ClientOrganisation,
        verbose_name=_("client organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    agreement_number = models.CharField(_("funding agreement number"), max_length=60, blank=True)
    direct_payment = models.BooleanField(
        _("direct payment by the funder (subrogation)"),
        default=False,
        help_text=_("The OPCO or public funder pays the organisation directly its share."),
    )
    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    course_session = models.ForeignKey(
        CourseSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("credited invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    credit_reason = models.CharField(_("reason for the credit note"), max_length=300, blank=True)
    # Not printed and not frozen: how the organisation classifies the sale in its yearly report
    # (BPF, Cerfa 10443 frame C), which may be completed after the invoice is issued.
    funding_type = models.CharField(
        _("funding type (yearly report)"),
        max_length=30,
        choices=FundingType.choices,
        blank=True,
        help_text=_("The scheme that pays, as the yearly report (BPF) sorts income."),
    )

    last_reminder_at = models.DateTimeField(_("last payment reminder"), null=True, blank=True, editable=False)
    reminders_sent = models.PositiveIntegerField(_("payment reminders sent"), default=0, editable=False)

    total_net = models.DecimalField(_("total excl. VAT"), max_digits=12, decimal_places=2, default=Decimal("0"))
    total_vat = models.DecimalField(_("total VAT"), max_digits=12, decimal_places=2, default=Decimal("0"))
    total_gross = models.DecimalField(_("total incl. VAT"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-number", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="invoicing_invoice_number_iff_issued",
                condition=(
                    models.Q(status="draft", number__isnull=True)
                    | (~models.Q(status="draft") & models.Q(number__isnull=False))
                ),
            ),
            models.CheckConstraint(
                name="invoicing_credit_note_references_invoice",
                condition=models.Q(kind="invoice", credited_invoice__isnull=True)
                | models.Q(kind="credit_note", credited_invoice__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        label = self.Kind(self.kind).label
        return "%s %s" % (label, self.number or _("(draft)"))

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def amount_paid(self) -> Decimal:
        """Sum of the payments recorded against this invoice (euros)."""
        return sum((payment.amount for payment in self.payments.all()), Decimal("0.00"))

    @property
    def balance(self) -> Decimal:
        """What is left to pay: total including VAT less the payments (0 for a draft or a credit note)."""
        if self.is_draft or self.kind == self.Kind.CREDIT_NOTE or self.status == self.Status.CREDITED:
            return Decimal("0.00")
        return self.total_gross - self.amount_paid

    def is_overdue(self, today=None) -> bool:
        """True when an issued invoice still owes money after its due date (``today``: Paris date)."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.status in (self.Status.ISSUED, self.Status.PARTIALLY_PAID)
            and self.kind == self.Kind.INVOICE
            and self.due_date is not None
            and self.due_date < today
        )

    def save(self, *args, **kwargs):
        """Refuse to change an issued invoice, except its payment status (the database refuses too)."""
        if self.pk and not kwargs.get("update_fields"):
            stored = type(self).objects.filter(pk=self.pk).values("number").first()
            if stored and stored["number"] is not None:
                raise InvoiceError(str(_("An issued invoice cannot be changed: issue a credit note to correct it.")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Refuse to delete an issued invoice (the database refuses too); a draft may go."""
        if self.number:
            raise InvoiceError(str(_("An issued invoice cannot be deleted: issue a credit note to cancel it.")))
        return super().delete(*args, **kwargs)


class InvoiceLine(models.Model):
    """One line: a description, a quantity, a unit price excluding VAT and its VAT category.

    VAT categories follow UNTDID 5305 as EN 16931 uses them: ``S`` standard rate, ``E`` exempt
    (with the reason, BT-120).
    """

    class VatCategory(models.TextChoices):
        STANDARD = "S", _("VAT at a rate")
        EXEMPT = "E", _("Exempt from VAT")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(_("unit price excl. VAT"), max_digits=12, decimal_places=2)
    vat_category = models.CharField(_("VAT category"), max_length=1, choices=VatCategory.choices)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    exemption_reason = models.CharField(_("VAT exemption reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="invoicing_line_exempt_has_reason_and_no_rate",
                condition=models.Q(vat_category="S", vat_rate__gt=0)
                | (models.Q(vat_category="E", vat_rate=0) & ~models.Q(exemption_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        """Refuse to add or change a line of an issued invoice (the database refuses too)."""
        if Invoice.objects.filter(pk=self.invoice_id, number__isnull=False).exists():
            raise InvoiceError(str(_("The lines of an issued invoice cannot be changed.")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Refuse to remove a line of an issued invoice (the database refuses too)."""
        if Invoice.objects.filter(pk=self.invoice_id, number__isnull=False).exists():
            raise InvoiceError(str(_("The lines of an issued invoice cannot be changed.")))
        return super().delete(*args, **kwargs)

    @property
    def net_amount(self) -> Decimal:
        """Quantity × unit price, rounded half-up to the cent (EN 16931 BT-131)."""
        return round_half_up(self.quantity * self.unit_price, 2)


class Payment(models.Model):
    """A payment received against an issued invoice (date, amount, method, bank reference)."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CHEQUE = "cheque", _("Cheque")
        CARD = "card", _("Card")
        DIRECT_DEBIT = "direct_debit", _("Direct debit")
        CASH = "cash", _("Cash")
        OTHER = "other", pgettext_lazy("payment method", "Other")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("payment date"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.TRANSFER)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(name="invoicing_payment_amount_positive", condition=models.Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return "%s — %s" % (self.invoice, self.amount)
