"""Admin of invoicing: drafts may be edited there; issued invoices and their lines are read-only."""

from django.contrib import admin

from academy.core.admin import DraftOnlyInlineMixin

from .models import Invoice, InvoiceLine, Payment


class InvoiceLineInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = InvoiceLine
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ("paid_on", "amount", "method", "reference", "recorded_at", "recorded_by")

    def has_add_permission(self, request, obj=None):
        # Payments go through the staff page, which checks the balance and writes the audit event.
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "bill_to_name", "payer_kind", "issue_date", "due_date", "total_gross")
    list_filter = ("status", "kind", "payer_kind")
    search_fields = ("number", "bill_to_name", "agreement_number")
    # Number, dates, totals and status come from issuing and payments; a credit note from crediting.
    readonly_fields = (
        "kind",
        "status",
        "number",
        "issue_date",
        "issued_at",
        "due_date",
        "credited_invoice",
        "credit_reason",
        "total_net",
        "total_vat",
        "total_gross",
    )
    raw_id_fields = ("client_organisation", "booking", "course_session")
    inlines = [InvoiceLineInline, PaymentInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)
