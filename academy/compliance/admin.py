"""Back-office registration of the quality records; the quality pages are the everyday tool."""

from __future__ import annotations

from django.contrib import admin

from .models import Complaint, ImprovementAction, IndicatorSetting, WatchEntry


@admin.register(IndicatorSetting)
class IndicatorSettingAdmin(admin.ModelAdmin):
    list_display = ["number", "applicable", "not_applicable_reason"]
    list_editable = ["applicable"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["reference", "subject", "source", "received_at", "answer_due_on", "status"]
    list_filter = ["status", "source"]
    search_fields = ["reference", "subject", "name", "email"]
    readonly_fields = [f.name for f in Complaint._meta.fields]

    def has_add_permission(self, request):
        return False  # complaints are filed through the quality pages (numbering, acknowledgement)


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["title", "cause", "owner", "due_on", "status"]
    list_filter = ["status", "cause"]
    search_fields = ["title"]
    raw_id_fields = ["complaint", "watch_entry", "course_session", "owner"]


@admin.register(WatchEntry)
class WatchEntryAdmin(admin.ModelAdmin):
    list_display = ["noted_on", "kind", "title", "source"]
    list_filter = ["kind"]
    search_fields = ["title", "source"]
