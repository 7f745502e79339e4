"""Back office for attendance: statuses are editable, signatures are read-only evidence."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from academy.core.admin import ReadOnlyAdminMixin

from .models import Attendance, Signature


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["slot", "enrolment", "status", "arrived_at", "left_at", "updated_at"]
    list_filter = ["status", "slot__course_session__course"]
    search_fields = ["enrolment__first_name", "enrolment__last_name", "enrolment__email"]
    list_select_related = ["slot__course_session__course", "enrolment"]
    raw_id_fields = ["slot", "enrolment"]
    readonly_fields = ["slot", "enrolment", "recorded_by", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Legal evidence: never deleted from the back office (retention, see docs).
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["slot", "role", "signer", "method", "signed_at", "ip_address"]
    list_filter = ["role", "method", "slot__course_session__course"]
    search_fields = ["enrolment__first_name", "enrolment__last_name", "enrolment__email", "trainer__last_name"]
    list_select_related = ["slot__course_session__course", "enrolment", "trainer"]
    fields = ["slot", "role", "enrolment", "trainer", "method", "signed_at", "ip_address", "user_agent", "drawing"]
    readonly_fields = fields

    @admin.display(description=_("signer"))
    def signer(self, obj: Signature) -> str:
        return obj.enrolment.full_name if obj.enrolment_id else str(obj.trainer)

    @admin.display(description=_("drawing"))
    def drawing(self, obj: Signature) -> str:
        from .documents import signature_data_uri

        return format_html(
            '<img src="{}" alt="" class="signature-drawing" width="300">', signature_data_uri(obj.strokes)
        )
