"""Back office for the catalogue: courses with objectives and programme, domains, leads."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from academy.core.admin import HttpsUrlFieldsMixin, ReadOnlyAdminMixin

from .exceptions import CoursePublicationError
from .models import (
    Course,
    CoursePageSnapshot,
    CourseResource,
    Domain,
    Lead,
    LearningObjective,
    ProgrammeItem,
    ProgrammeSection,
)
from .services import missing_public_items, publish_course


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class LearningObjectiveInline(admin.TabularInline):
    model = LearningObjective
    extra = 0
    fields = ["position", "text"]


class ProgrammeSectionInline(admin.TabularInline):
    model = ProgrammeSection
    extra = 0
    fields = ["position", "title"]
    show_change_link = True


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ["position", "kind", "text"]


@admin.register(ProgrammeSection)
class ProgrammeSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_select_related = ["course"]
    search_fields = ["title", "course__code", "course__title"]
    inlines = [ProgrammeItemInline]


class CourseResourceInline(HttpsUrlFieldsMixin, admin.StackedInline):
    model = CourseResource
    extra = 0
    fields = ["kind", "title", "file", "url", "description", "for_trainees", "updated_on"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "domain", "level", "status", "indicator_1"]
    list_filter = ["status", "domain", "level"]
    list_select_related = ["domain"]
    search_fields = ["code", "title", "subtitle"]
    readonly_fields = ["indicator_1_detail", "page_snapshots", "created_at", "updated_at"]
    inlines = [LearningObjectiveInline, ProgrammeSectionInline, CourseResourceInline]
    actions = ["publish_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "indicator_1_detail",
                    "page_snapshots",
                    "code",
                    "title",
                    "subtitle",
                    "domain",
                    "status",
                    "content_updated_on",
                ]
            },
        ),
        (_("Format and duration"), {"fields": ["format", "level", "language", "duration_hours", "duration_days"]}),
        (
            _("Time split (must total 100 %)"),
            {"fields": ["split_lectures_pct", "split_practice_pct", "split_discussion_pct"]},
        ),
        (
            _("Public description (Markdown)"),
            {
                "fields": [
                    "description",
                    "audience",
                    "audience_also",
                    "has_prerequisites",
                    "prerequisites",
                    "teaching_methods",
                    "accessibility",
                    "trainer_profile",
                    "evaluation_methods",
                ]
            },
        ),
        (_("Access and price"), {"fields": ["access_delay", "price_excl_vat", "price_currency", "price_note"]}),
        (_("Yearly report (BPF)"), {"fields": ["general_objective", "qualification_level", "nsf_code"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("Published page snapshots"))
    def page_snapshots(self, course: Course) -> str:
        if course.pk is None:
            return "—"
        count = CoursePageSnapshot.objects.filter(course=course).count()
        url = reverse("admin:catalog_coursepagesnapshot_changelist") + "?course__id__exact=%d" % course.pk
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(count)d snapshot of the public page", "%(count)d snapshots of the public page", count)
            % {"count": count},
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("objectives", "sections")

    @admin.display(description=_("Qualiopi indicator 1"))
    def indicator_1(self, course: Course) -> str:
        missing = missing_public_items(course)
        if not missing:
            return format_html('<span class="ind1-complete">✓ {}</span>', _("complete"))
        return format_html(
            '<span class="ind1-missing">{}</span>',
            ngettext("%(count)d item missing", "%(count)d items missing", len(missing)) % {"count": len(missing)},
        )

    @admin.display(description=_("Qualiopi indicator 1: public items"))
    def indicator_1_detail(self, course: Course) -> str:
        if course.pk is None:
            return _("Save the course to check its public items.")
        missing = missing_public_items(course)
        if not missing:
            return _("Every mandatory public item is present: the course may be published.")
        return format_html(
            "{}<ul>{}</ul>",
            _("Missing before publication:"),
            format_html_join("", "<li>{}</li>", ((item,) for item in missing)),
        )

    def save_related(self, request, form, formsets, change):
        """Refuse publication once objectives and programme are saved, if indicator 1 items are missing."""
        super().save_related(request, form, formsets, change)
        course = form.instance
        if course.status == Course.Status.PUBLISHED:
            course = Course.objects.prefetch_related("objectives", "sections").get(pk=course.pk)
            missing = missing_public_items(course)
            if missing:
                Course.objects.filter(pk=course.pk).update(status=Course.Status.DRAFT)
                form.instance.status = Course.Status.DRAFT
                self.message_user(
                    request,
                    _("%(code)s was saved as a draft, not published: missing %(items)s.")
                    % {"code": course.code, "items": ", ".join(missing)},
                    messages.ERROR,
                )

    @admin.action(description=_("Publish the selected courses"))
    def publish_selected(self, request, queryset):
        for course in queryset:
            try:
                publish_course(course=course)
            except CoursePublicationError as exc:
                self.message_user(request, "%s: %s" % (course.code, exc), messages.ERROR)
            else:
                self.message_user(request, _("%(code)s is published.") % {"code": course.code}, messages.SUCCESS)


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "status",
        "course",
        "first_name",
        "last_name",
        "organisation_name",
        "email",
        "trainee_count",
    ]
    list_editable = ["status"]
    list_filter = ["status", "kind", "course"]
    list_select_related = ["course"]
    search_fields = ["first_name", "last_name", "email", "organisation_name", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at", "language"]
    fields = [
        "kind",
        "status",
        "course",
        "organisation_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "trainee_count",
        "wished_period",
        "place",
        "message",
        "language",
        "created_at",
        "updated_at",
    ]


@admin.register(CoursePageSnapshot)
class CoursePageSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The public course pages as they were published (Qualiopi indicator 1); read only, each one opens."""

    # The course by its code: its title today may not be the one the page showed then.
    list_display = ["taken_at_local", "course_code", "language", "short_sha256", "open_page"]
    list_filter = ["language", "course"]
    list_select_related = ["course"]
    search_fields = ["course__code", "course__title"]
    date_hierarchy = "taken_at"
    ordering = ["-taken_at", "language", "-pk"]
    fields = ["course", "taken_at", "language", "sha256", "open_page"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("html")

    @admin.display(description=_("taken at"), ordering="taken_at")
    def taken_at_local(self, snapshot: CoursePageSnapshot) -> str:
        return timezone.localtime(snapshot.taken_at).strftime("%d/%m/%Y %H:%M:%S")

    @admin.display(description=_("course code"), ordering="course__code")
    def course_code(self, snapshot: CoursePageSnapshot) -> str:
        return snapshot.course.code

    @admin.display(description=_("SHA-256"))
    def short_sha256(self, snapshot: CoursePageSnapshot) -> str:
        return snapshot.sha256[:12]

    @admin.display(description=_("Page"))
    def open_page(self, snapshot: CoursePageSnapshot) -> str:
        url = reverse("admin:catalog_coursepagesnapshot_page", args=[snapshot.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the page as published"))

    def get_urls(self):
        return [
            path(
                "<int:snapshot_id>/page/",
                self.admin_site.admin_view(self.page_view),
                name="catalog_coursepagesnapshot_page",
            )
        ] + super().get_urls()

    def page_view(self, request, snapshot_id: int) -> HttpResponse:
        """Serve the stored page as it was published, sandboxed: its scripts and forms never run."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        snapshot = CoursePageSnapshot.objects.filter(pk=snapshot_id).first()
        if snapshot is None:
            raise Http404
        response = HttpResponse(snapshot.html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = "sandbox"
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response
