"""Forms of the privacy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.core.forms import PublicFormMixin

from .consent import purposes
from .models import ConsentRecord


class ConsentForm(PublicFormMixin, forms.Form):
    """A consent choice from the banner or the cookies page; ``next`` is where to go back."""

    choice = forms.ChoiceField(choices=ConsentRecord.Action.choices)
    purpose = forms.MultipleChoiceField(required=False, choices=())
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p.key, p.label) for p in purposes()]


class PersonSearchForm(forms.Form):
    email = forms.EmailField(label=_("Person's e-mail address"), max_length=254)


class ErasureForm(forms.Form):
    confirm_email = forms.EmailField(label=_("Type the person's e-mail address again to confirm"), max_length=254)

    def __init__(self, *args, expected_email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def clean_confirm_email(self):
        from academy.core.text import normalise_email

        value = self.cleaned_data["confirm_email"]
        if normalise_email(value) != normalise_email(self.expected_email):
            raise forms.ValidationError(_("This is not the address of the person shown."))
        return value
