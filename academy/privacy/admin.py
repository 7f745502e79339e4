"""Back office of the privacy app: the audit log (read-only, administrators), consent proofs, contacts."""

from __future__ import annotations

from django.contrib import admin

from academy.accounts.access import is_staff_admin
from academy.core.admin import AuditEventColumnsMixin, ReadOnlyAdminMixin
from academy.core.models import AuditLogEntry

from .admin_mixins import AuditedAdminMixin
from .models import ClientContact, ConsentRecord, PageViewCount


class AdministratorsOnlyReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Visible to staff administrators only, and never editable."""

    def has_module_permission(self, request):
        return is_staff_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_admin(request.user)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(AuditEventColumnsMixin, AdministratorsOnlyReadOnlyAdmin):
    list_display = (
        "at",
        "actor_label",
        "event_display",
        "action",
        "object_type",
        "object_id",
        "data_display",
        "summary",
    )
    list_filter = ("event", "action", "object_type")
    search_fields = ("actor_label", "event", "object_type", "object_id", "summary")
    date_hierarchy = "at"
    list_select_related = ()
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "event_display",
        "action",
        "object_type",
        "object_id",
        "data_display",
        "summary",
        "ip_address",
    )
    exclude = ("event", "data", "content_type", "person_ref")


@admin.register(ConsentRecord)
class ConsentRecordAdmin(AdministratorsOnlyReadOnlyAdmin):
    list_display = ("at", "consent_id", "banner_version", "action", "choices")
    list_filter = ("action", "banner_version")
    search_fields = ("consent_id",)
    date_hierarchy = "at"


@admin.register(PageViewCount)
class PageViewCountAdmin(AdministratorsOnlyReadOnlyAdmin):
    list_display = ("day", "path", "views")
    date_hierarchy = "day"
    search_fields = ("path",)


@admin.register(ClientContact)
class ClientContactAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "client_organisation")
    autocomplete_fields = ()
    raw_id_fields = ("user",)
    list_select_related = ("user", "client_organisation")

    def has_module_permission(self, request):
        return is_staff_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_admin(request.user)

    def has_add_permission(self, request):
        return is_staff_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_staff_admin(request.user)
