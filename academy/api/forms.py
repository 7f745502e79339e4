"""Staff forms: create an API token, register a webhook endpoint."""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.models import ClientOrganisation

from .models import ApiToken
from .tokens import MAX_LIFETIME_DAYS
from .webhooks import WEBHOOK_EVENTS


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What uses it, e.g. “CRM sync”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices, widget=forms.RadioSelect)
    client_organisation = forms.ModelChoiceField(
        label=_("Client organisation"),
        queryset=ClientOrganisation.objects.order_by("name"),
        required=False,
        help_text=_("Required for the client scope, and only for it."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most two years from today."),
    )

    def clean_expires_on(self) -> datetime.date:
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if value > today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
            raise forms.ValidationError(_("A token lives at most two years."))
        return value

    def clean(self):
        cleaned = super().clean()
        scope, organisation = cleaned.get("scope"), cleaned.get("client_organisation")
        if scope == ApiToken.Scope.CLIENT and organisation is None:
            self.add_error("client_organisation", _("Choose the client organisation this token is limited to."))
        elif scope and scope != ApiToken.Scope.CLIENT and organisation is not None:
            self.add_error("client_organisation", _("Only a client-scoped token is limited to an organisation."))
        return cleaned

    def expires_at(self) -> datetime.datetime:
        """End of the chosen day in the site's timezone, as an aware datetime."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(label=_("Endpoint name"), max_length=100)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("http or https only; https in production."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=list(WEBHOOK_EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )
