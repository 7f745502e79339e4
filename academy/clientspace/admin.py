from django.contrib import admin

from .models import DocumentSharing


@admin.register(DocumentSharing)
class DocumentSharingAdmin(admin.ModelAdmin):
    list_display = ("client_organisation", "to_contact", "to_funder")
    list_editable = ("to_contact", "to_funder")
    autocomplete_fields = ("client_organisation",)
    search_fields = ("client_organisation__name",)
