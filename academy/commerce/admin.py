"""Back office for the terms of sale and internal rules: drafts are edited, published ones frozen."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import terms
from .models import TermsAcceptance, TermsDocument


@admin.register(TermsDocument)
class TermsDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "title", "effective_date", "published_at"]
    list_filter = ["kind"]
    readonly_fields = ["published_at"]
    actions = ["publish_selected", "new_version_of_selected"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [*TermsDocument.FROZEN_FIELDS, "published_at"]
        if obj is not None:
            return ["kind", "version", "published_at"]
        return ["version", "published_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = terms.next_version(obj.kind)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected drafts"), permissions=["change"])
    def publish_selected(self, request, queryset):
        for document in queryset:
            try:
                terms.publish(document, by=request.user)
            except ValidationError as exc:
                self.message_user(request, "%s: %s" % (document, " ".join(exc.messages)), messages.ERROR)
            else:
                self.message_user(request, _("%(document)s published.") % {"document": document})

    @admin.action(description=_("Start a new version from the selected documents"), permissions=["add"])
    def new_version_of_selected(self, request, queryset):
        for document in queryset:
            draft = terms.new_version(document)
            self.message_user(request, _("Draft %(document)s created.") % {"document": draft})


@admin.register(TermsAcceptance)
class TermsAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["booking", "terms_of_sale", "internal_rules", "accepted_at"]
    list_select_related = ["booking", "terms_of_sale", "internal_rules"]
    readonly_fields = ["booking", "terms_of_sale", "internal_rules", "accepted_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
