"""Back office for the core app: the training organisation's identity and the e-mail log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import ClientOrganisation, OutboundEmail, TrainingOrganisation


class HttpsUrlFieldsMixin:
    """Read a web address typed without a scheme as ``https://`` (Django 6.0's default, chosen now)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """Admin pages and inlines that only show records: evidence and logs are never added, changed or
    deleted here (``obj`` is the parent object when mixed into an inline)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DraftOnlyInlineMixin:
    """Inline lines of a priced document (quote, invoice) editable only while the document is a draft.

    Issued documents are immutable (corrections are new documents); the parent needs ``is_draft``.
    """

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class TrainingOrganisationForm(forms.ModelForm):
    """Lets staff type the SIRET and the declaration number with spaces, as printed ("123 456 782 00002");
    the model's ``clean`` checks them and stores the digits only."""

    # Room for the digits and the usual spaces (and a few more); the stored value is the digits.
    siret = forms.CharField(label=_("SIRET"), max_length=30, required=False)
    declaration_number = forms.CharField(label=_("declaration number (NDA)"), max_length=30, required=False)

    class Meta:
        model = TrainingOrganisation
        fields = ["siret", "declaration_number"]  # the admin adds the other fields of its fieldsets

    def clean_siret(self) -> str:
        return "".join(self.cleaned_data["siret"].split())

    def clean_declaration_number(self) -> str:
        return "".join(self.cleaned_data["declaration_number"].split())


@admin.register(TrainingOrganisation)
class TrainingOrganisationAdmin(HttpsUrlFieldsMixin, admin.ModelAdmin):
    form = TrainingOrganisationForm
    list_display = ["name", "siret", "declaration_number", "email"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "legal_name", "siret", "declaration_number", "address", "email", "phone", "website"]},
        ),
        (_("Legal representative"), {"fields": ["legal_representative", "legal_representative_title"]}),
        (
            _("Accessibility"),
            {
                "fields": [
                    "accessibility_referent_name",
                    "accessibility_referent_email",
                    "accessibility_referent_phone",
                    "accessibility_policy_url",
                ]
            },
        ),
        (_("Other"), {"fields": ["dpo_email", "host_name", "timezone", "fiscal_year_start_month"]}),
    ]


@admin.register(ClientOrganisation)
class ClientOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siret"]
    search_fields = ["name", "siret"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "next_attempt_at", "category"]
    list_filter = ["status", "category"]
    search_fields = ["subject", "body_text"]
    readonly_fields = [
        "to",
        "display_names",
        "subject",
        "body_text",
        "body_html",
        "reply_to",
        "status",
        "sent_at",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "error",
        "category",
        "created_at",
    ]
    exclude = ["attachments"]

    def has_add_permission(self, request):
        return False


class AuditEventColumnsMixin:
    """Columns that show an audit entry's typed event and its data readably in the admin."""

    @admin.display(description=_("event"), ordering="event")
    def event_display(self, entry) -> str:
        from .audit import AUDIT_EVENTS

        kind = AUDIT_EVENTS.get(entry.event)
        if kind is None:
            return entry.event or "—"
        return "%s (%s)" % (kind.label, entry.event)

    @admin.display(description=_("data"))
    def data_display(self, entry) -> str:
        if not entry.data:
            return "—"
        return "; ".join("%s: %s" % (key, _flat(value)) for key, value in sorted(entry.data.items()))


def _flat(value) -> str:
    if isinstance(value, dict):
        return ", ".join("%s=%s" % (k, _flat(v)) for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value)
    return str(value)
