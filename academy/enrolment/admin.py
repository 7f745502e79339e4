"""Back office for bookings and enrolments: staff cancel with a reason through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from academy.scheduling.admin import CourseSessionAdmin as SchedulingCourseSessionAdmin
from academy.scheduling.models import CourseSession

from .exceptions import EnrolmentError
from .forms import CancelForm, StaffEnrolmentForm
from .models import Booking, Enrolment
from .seats import seats_taken, with_seat_counts
from .services import TraineeDetails, cancel_course_session, cancel_enrolment, enrol_by_staff


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    fields = ["first_name", "last_name", "email", "job_title", "trainee_category", "status", "accessibility_needs"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "client_organisation", "funding", "created_at"]
    list_filter = ["funding", "course_session__course"]
    search_fields = ["contact_last_name", "contact_email", "client_organisation__name"]
    list_select_related = ["course_session__course", "client_organisation"]
    readonly_fields = ["course_session", "client_organisation", "terms_accepted_at", "language", "overflow_policy"]
    inlines = [EnrolmentInline]

    def has_add_permission(self, request):
        return False  # bookings go through the enrolment service (seat counting)

    def has_delete_permission(self, request, obj=None):
        return False  # its enrolments keep the history; cancel them instead


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "session_link", "status", "created_at"]
    list_filter = ["status", "trainee_category", "course_session__course"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["course_session__course"]
    readonly_fields = [
        "course_session",
        "booking",
        "status",
        "waiting_since",
        "offer_expires_at",
        "confirmed_at",
        "cancelled_at",
        "cancellation_reason",
        "joining_instructions_sent_at",
    ]
    fields = [
        "first_name",
        "last_name",
        "email",
        "job_title",
        "trainee_category",
        "accessibility_needs",
    ] + readonly_fields
    actions = ["cancel_selected"]

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: a deleted enrolment would lose its history

    def add_view(self, request, form_url="", extra_context=None):
        """Enrol one trainee by hand through ``enrol_by_staff`` (seat counting, waiting list, e-mails)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffEnrolmentForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                enrolment = enrol_by_staff(
                    course_session=data["course_session"],
                    trainee=TraineeDetails(
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                        job_title=data["job_title"],
                        trainee_category=data["trainee_category"],
                        accessibility_needs=data["accessibility_needs"],
                        work_context=data["work_context"],
                        expectations=data["expectations"],
                    ),
                    by=request.user,
                    funding=data["funding"],
                    funder_name=data["funder_name"],
                    organisation_name=data["organisation_name"],
                    organisation_siret=data["organisation_siret"],
                    language=data["language"],
                    beyond_capacity=data["confirm_beyond_capacity"],
                )
            except EnrolmentError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    _("%(name)s is enrolled on %(session)s: %(status)s.")
                    % {
                        "name": enrolment.full_name,
                        "session": enrolment.course_session,
                        "status": enrolment.get_status_display(),
                    },
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:enrolment_enrolment_change", args=[enrolment.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enrol a trainee by hand"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/enrolment/enrol_by_hand.html", context)

    @admin.display(description=_("session"), ordering="course_session")
    def session_link(self, obj):
        url = reverse("enrolment:session_enrolments", kwargs={"pk": obj.course_session_id})
        return format_html('<a href="{}">{}</a>', url, obj.course_session)

    @admin.action(description=_("Cancel the selected enrolments (with a reason)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        live = queryset.exclude(status=Enrolment.Status.CANCELLED).select_related("course_session__course", "booking")
        form = CancelForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done = 0
            for enrolment in live:
                try:
                    cancel_enrolment(enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"])
                except EnrolmentError as exc:
                    self.message_user(request, "%s: %s" % (enrolment, exc), messages.ERROR)
                else:
                    done += 1
            self.message_user(
                request,
                ngettext("%(n)d enrolment cancelled.", "%(n)d enrolments cancelled.", done) % {"n": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel enrolments"),
            "enrolments": live,
            "form": form,
            "opts": self.model._meta,
            "action_name": "cancel_selected",
        }
        return TemplateResponse(request, "admin/enrolment/cancel_enrolments.html", context)


admin.site.unregister(CourseSession)


@admin.register(CourseSession)
class CourseSessionAdmin(SchedulingCourseSessionAdmin):
    """The scheduling admin, plus what needs enrolments: seats taken, the enrolment list, cancelling."""

    list_display = [*SchedulingCourseSessionAdmin.list_display, "seats", "enrolments_link"]
    actions = [*SchedulingCourseSessionAdmin.actions, "cancel_sessions"]

    def get_queryset(self, request):
        return with_seat_counts(super().get_queryset(request))

    @admin.display(description=_("seats taken"))
    def seats(self, obj):
        return "%s / %s" % (seats_taken(obj), obj.capacity_seats)

    @admin.display(description=_("enrolments"))
    def enrolments_link(self, obj):
        url = reverse("enrolment:session_enrolments", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("enrolments"))

    @admin.action(
        description=_("Cancel the selected sessions and tell the enrolled people (with a reason)"),
        permissions=["change"],
    )
    def cancel_sessions(self, request, queryset):
        live = queryset.exclude(status=CourseSession.Status.CANCELLED).select_related("course")
        form = CancelForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            for course_session in live:
                try:
                    count = cancel_course_session(
                        course_session=course_session, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except EnrolmentError as exc:
                    self.message_user(request, "%s: %s" % (course_session, exc), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        ngettext(
                            "%(session)s cancelled; %(n)d enrolment cancelled.",
                            "%(session)s cancelled; %(n)d enrolments cancelled.",
                            count,
                        )
                        % {"session": course_session, "n": count},
                        messages.SUCCESS,
                    )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel sessions"),
            "course_sessions": live,
            "form": form,
            "opts": self.model._meta,
            "action_name": "cancel_sessions",
        }
        return TemplateResponse(request, "admin/enrolment/cancel_sessions.html", context)
