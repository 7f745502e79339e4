"""Staff forms of invoicing: a payment received, a credit note's reason, the journal's period."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.core.widgets import IsoDateInput

from .models import Invoice, Payment


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (€)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), localize=True
    )
    paid_on = forms.DateField(label=_("Payment date"), widget=IsoDateInput)
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices, initial=Payment.Method.TRANSFER)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the credit note"), max_length=300)


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + Invoice.Status.choices)
    payer = forms.ChoiceField(label=_("Payer"), required=False, choices=[("", _("All"))] + Invoice.PayerKind.choices)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Number or name"), required=False, max_length=100)


class JournalForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=IsoDateInput)
    end = forms.DateField(label=_("To"), widget=IsoDateInput)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("csv", _("CSV (French: semicolons, decimal comma)")),
            ("csv_en", _("CSV (English)")),
            ("xlsx", "XLSX"),
        ],
        initial="csv",
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data
