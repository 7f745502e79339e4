"""Staff forms of commerce: the funding lines of a booking, draft quotes and their lines."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from academy.enrolment.models import Enrolment

from .models import FundingLine, FundingType, Quote, QuoteLine


class FundingLineForm(forms.Form):
    """One payer and its amount excluding VAT; empty rows are ignored."""

    payer_kind = forms.ChoiceField(
        label=_("Payer"), choices=[("", "—"), *FundingLine.PayerKind.choices], required=False
    )
    payer_name = forms.CharField(label=_("Payer name"), max_length=200, required=False)
    enrolment = forms.ModelChoiceField(
        label=_("For one trainee"), queryset=Enrolment.objects.none(), required=False, empty_label=_("whole booking")
    )
    email = forms.EmailField(label=_("Billing e-mail"), required=False)
    address = forms.CharField(label=_("Billing address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    agreement_number = forms.CharField(label=_("Funding agreement number"), max_length=60, required=False)
    amount_excl_vat = forms.DecimalField(
        label=_("Amount excl. VAT (€)"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    direct_payment = forms.BooleanField(label=_("Direct payment (subrogation)"), required=False)
    funding_type = forms.ChoiceField(
        label=_("Funding type (yearly report)"),
        choices=[("", "—"), *FundingType.choices],
        required=False,
        help_text=_("The scheme that pays: the yearly report (BPF) sorts income by it."),
    )

    def __init__(self, *args, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        if booking is not None:
            self.fields["enrolment"].queryset = booking.enrolments.exclude(status=Enrolment.Status.CANCELLED)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("payer_kind") and not data.get("payer_name") and data.get("amount_excl_vat") is None

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        for name in ("payer_kind", "payer_name", "amount_excl_vat"):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return data


FundingLineFormSet = forms.formset_factory(FundingLineForm, extra=2, max_num=20, validate_max=True)


class QuoteForm(forms.ModelForm):
    """The header of a draft quote: client, contact, course, validity."""

    class Meta:
        model = Quote
        fields = [
            "client_organisation",
            "organisation_name",
            "contact_name",
            "contact_email",
            "client_need",
            "course",
            "valid_until",
            "notes",
            "language",
        ]
        widgets = {
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "language": forms.Select(choices=settings.LANGUAGES),
        }


QuoteLineFormSet = forms.inlineformset_factory(
    Quote,
    QuoteLine,
    fields=["kind", "description", "trainees", "quantity", "unit_price_excl_vat", "vat_rate_pct", "vat_exempt"],
    extra=2,
    max_num=50,
    validate_max=True,
    can_delete=True,
)
