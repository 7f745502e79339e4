"""Back office: terms of sale and internal rules (drafts edited, published ones frozen), draft quotes."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from academy.core.admin import DraftOnlyInlineMixin, ReadOnlyAdminMixin

from . import terms
from .models import Agreement, PaymentInstalment, Quote, QuoteLine, TermsAcceptance, TermsDocument


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


class QuoteLineInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = QuoteLine
    extra = 1
    fields = [
        "position",
        "kind",
        "description",
        "course_session",
        "trainees",
        "quantity",
        "unit_price_excl_vat",
        "vat_rate_pct",
        "vat_exempt",
    ]
    raw_id_fields = ["course_session"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    """Drafts are edited here; issuing, revising and the answer go through the staff quote page."""

    list_display = ["__str__", "organisation_name", "contact_name", "status", "valid_until", "issued_at"]
    list_filter = ["status"]
    search_fields = ["reference", "organisation_name", "contact_name", "contact_email"]
    raw_id_fields = ["lead", "client_organisation", "course"]
    readonly_fields = ["reference", "status", "revises", "issued_at", "answered_at", "course_session", "staff_page"]
    inlines = [QuoteLineInline]

    @admin.display(description=_("staff page"))
    def staff_page(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("commerce:staff_quote", args=[obj.pk]), _("issue or revise"))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect("commerce:staff_quote", pk=obj.pk)

    def response_change(self, request, obj):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_change(request, obj)
        return redirect("commerce:staff_quote", pk=obj.pk)


class PaymentInstalmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PaymentInstalment
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Drafts' items are corrected here; issuing, signing and countersigning go through the pages."""

    list_display = ["__str__", "kind", "status", "version", "issued_at", "signed_at", "countersigned_at"]
    list_filter = ["kind", "status"]
    search_fields = ["party_name", "title", "signer_email"]
    raw_id_fields = ["booking", "quote", "client_organisation", "terms_of_sale", "replaces"]
    inlines = [PaymentInstalmentInline]
    readonly_fields = [
        "status",
        "version",
        "replaces",
        "issued_at",
        "pdf_sha256",
        "signed_at",
        "signed_name",
        "signed_sha256",
        "signed_ip",
        "signed_user_agent",
        "countersigned_at",
        "countersigned_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != Agreement.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != Agreement.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        return redirect("commerce:staff_agreement", pk=obj.pk)
