"""Back office for certificates: read-only records; issue, correct and revoke through the staff page."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from academy.core.admin import ReadOnlyAdminMixin

from .models import Attestation, Certificate, CertificateBatch


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["holder_name", "course_title", "version", "status", "hours", "issued_at", "emailed_at"]
    list_filter = ["status", "nature"]
    search_fields = ["holder_name", "course_title", "public_id", "enrolment__email"]
    list_select_related = ["enrolment"]
    readonly_fields = [f.name for f in Certificate._meta.fields] + ["links"]

    @admin.display(description=_("links"))
    def links(self, obj: Certificate) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">PDF</a> · <a href="{}">{}</a>',
            obj.get_verification_url(),
            _("verification page"),
            reverse("certification:pdf", args=[obj.pk]),
            reverse("certification:session", args=[obj.enrolment.course_session_id]),
            _("issue, correct or revoke"),
        )


@admin.register(CertificateBatch)
class CertificateBatchAdmin(admin.ModelAdmin):
    list_display = ["course_session", "status", "total", "done", "skipped", "created_at", "finished_at"]
    readonly_fields = [f.name for f in CertificateBatch._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attestation)
class AttestationAdmin(admin.ModelAdmin):
    """End-of-training attestations are snapshots issued with certificates: read only."""

    list_display = ["holder_name", "course_title", "hours", "issued_at"]
    search_fields = ["holder_name", "course_title"]
    readonly_fields = [f.name for f in Attestation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
