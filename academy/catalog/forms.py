"""Public request forms (no account needed): quote, customisation, interest signal, contact."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.core.forms import PublicFormMixin
from academy.core.honeypot import HoneypotField

from .models import Lead

COMMON_FIELDS = ["first_name", "last_name", "email", "phone", "organisation_name"]

#: Fields each kind of request asks for, and which of the optional model fields become required.
LEAD_FORM_FIELDS = {
    Lead.Kind.QUOTE: (
        COMMON_FIELDS + ["trainee_count", "wished_period", "place", "message"],
        {"organisation_name", "trainee_count"},
    ),
    Lead.Kind.CUSTOMISATION: (COMMON_FIELDS + ["trainee_count", "message"], {"organisation_name", "message"}),
    Lead.Kind.INTEREST: (COMMON_FIELDS + ["trainee_count", "wished_period", "message"], set()),
    Lead.Kind.CONTACT: (COMMON_FIELDS + ["message"], {"message"}),
}

MESSAGE_LABELS = {
    Lead.Kind.QUOTE: _("Remarks"),
    Lead.Kind.CUSTOMISATION: _("What would you like to adapt?"),
    Lead.Kind.INTEREST: _("Anything we should know?"),
    Lead.Kind.CONTACT: _("Your message"),
}


class LeadForm(PublicFormMixin, forms.ModelForm):
    """A request from the public. ``website`` is a honeypot: people never see it, robots fill it."""

    website = HoneypotField()

    class Meta:
        model = Lead
        fields = COMMON_FIELDS + ["trainee_count", "wished_period", "place", "message"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5}),
            "trainee_count": forms.NumberInput(attrs={"min": 1}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        help_texts = {"wished_period": _("For example: “in March”, “before summer”.")}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted, required = LEAD_FORM_FIELDS[kind]
        for name in list(self.fields):
            if name != "website" and name not in wanted:
                del self.fields[name]
        for name in required:
            self.fields[name].required = True
        self.fields["message"].label = MESSAGE_LABELS[kind]
        if "trainee_count" in self.fields:
            self.fields["trainee_count"].min_value = 1
            self.fields["trainee_count"].validators.append(_at_least_one)
        # The honeypot goes last so keyboard users never reach it before the submit button.
        self.order_fields([f for f in self.fields if f != "website"] + ["website"])

    def lead_values(self) -> dict:
        """Lead field values from the cleaned data, for ``record_lead``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "website" and value is not None}


def _at_least_one(value):
    if value is not None and value < 1:
        raise forms.ValidationError(_("At least one trainee."))
