"""Back office for sessions, their half-day slots and trainers."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from academy.core.admin import HttpsUrlFieldsMixin

from .exceptions import SchedulingError
from .forms import BaseSessionSlotFormSet, CopySessionForm, SessionSlotForm
from .models import CourseSession, SessionSlot, Trainer, TrainerTraining
from .services import change_status, copy_course_session
from .views import trainer_feed_url


class SessionSlotInline(admin.TabularInline):
    model = SessionSlot
    form = SessionSlotForm
    formset = BaseSessionSlotFormSet
    fields = ["day", "start_time", "end_time", "content"]
    extra = 2
    verbose_name = _("half-day slot (local time of the session)")
    verbose_name_plural = _("half-day slots (local time of the session)")


class TrainerTrainingInline(admin.TabularInline):
    model = TrainerTraining
    extra = 0
    fields = ["title", "provider", "completed_on", "hours", "evidence"]


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "employment"]
    list_filter = ["employment"]
    search_fields = ["last_name", "first_name", "email"]
    readonly_fields = ["calendar_feed"]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "employment", "user", "calendar_feed"]}),
        (
            _("Profile (Qualiopi indicators 17, 21, 22)"),
            {"fields": ["skills", "qualifications", "cv", "availability"]},
        ),
        (
            _("Subcontracting (Qualiopi indicator 27)"),
            {"fields": ["subcontracting_agreement", "subcontracting_agreement_signed_on"]},
        ),
    ]
    raw_id_fields = ["user"]
    inlines = [TrainerTrainingInline]

    @admin.display(description=_("private calendar feed"))
    def calendar_feed(self, obj):
        if not obj.pk:
            return "—"
        url = trainer_feed_url(obj)
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(CourseSession)
class CourseSessionAdmin(HttpsUrlFieldsMixin, admin.ModelAdmin):
    list_display = ["__str__", "course", "first_day", "kind", "status", "capacity_seats"]
    list_filter = ["status", "kind", "course"]
    search_fields = ["course__title", "course__code", "venue_address"]
    list_select_related = ["course"]
    autocomplete_fields = []
    filter_horizontal = ["trainers"]
    inlines = [SessionSlotInline]
    actions = ["copy_to_new_dates", "open_enrolment", "close_enrolment"]
    fieldsets = [
        (None, {"fields": ["course", "kind", "client_organisation", "status", "language"]}),
        (_("Place"), {"fields": ["timezone", "venue_address", "remote_url", "joining_instructions"]}),
        (
            _("Seats and price"),
            {"fields": ["capacity_seats", "price_excl_vat", "vat_rate_pct", "currency", "enrolment_deadline"]},
        ),
        (_("Trainers"), {"fields": ["trainers"]}),
        (_("Subcontracting"), {"fields": ["subcontracting", "subcontracting_partner"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_dates()

    @admin.display(description=_("first day"), ordering="first_starts_at")
    def first_day(self, obj):
        if not obj.first_starts_at:
            return "—"
        return timezone.localtime(obj.first_starts_at, obj.tzinfo).strftime("%Y-%m-%d %H:%M")

    @admin.action(description=_("Copy to new dates (keeps local times)"))
    def copy_to_new_dates(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one session to copy."), messages.WARNING)
            return None
        course_session = queryset.get()
        form = CopySessionForm(request.POST if "first_day" in request.POST else None)
        if form.is_valid():
            try:
                copy = copy_course_session(course_session=course_session, first_day=form.cleaned_data["first_day"])
            except SchedulingError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(request, _("Session copied as a draft: check it, then open enrolment."), messages.SUCCESS)
            return redirect(reverse("admin:scheduling_coursesession_change", args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copy session to new dates"),
            "course_session": course_session,
            "form": form,
            "opts": self.model._meta,
            "action_name": "copy_to_new_dates",
            "selected": course_session.pk,
        }
        return TemplateResponse(request, "admin/scheduling/copy_session.html", context)

    def _change_statuses(self, request, sessions, status) -> int:
        """Validate and save each session with ``status`` (``services.change_status``); report refusals.

        Returns how many were changed; each refused session gets an error message with its reasons.
        """
        changed = 0
        for course_session in sessions.select_related("course"):
            try:
                change_status(course_session=course_session, status=status)
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("%(session)s was left as it was: %(reasons)s")
                    % {"session": course_session, "reasons": " ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                changed += 1
        return changed

    @admin.action(description=_("Open enrolment"))
    def open_enrolment(self, request, queryset):
        sessions = queryset.filter(status__in=[CourseSession.Status.DRAFT, CourseSession.Status.CLOSED])
        count = self._change_statuses(request, sessions, CourseSession.Status.OPEN)
        self.message_user(request, ngettext("%(n)d session opened.", "%(n)d sessions opened.", count) % {"n": count})

    @admin.action(description=_("Close enrolment"))
    def close_enrolment(self, request, queryset):
        sessions = queryset.filter(status__in=CourseSession.ENROLLING_STATUSES)
        count = self._change_statuses(request, sessions, CourseSession.Status.CLOSED)
        self.message_user(request, ngettext("%(n)d session closed.", "%(n)d sessions closed.", count) % {"n": count})
