"""Back office: staff adapt questionnaires; editing an answered questionnaire makes a new version."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Answer, DailySatisfaction, Dispatch, PastSatisfaction, Question, Questionnaire, Response
from .services import freeze_answered_version


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text", "key", "learning_objective", "scale_labels", "required"]
    raw_id_fields = ["learning_objective"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Questionnaires with their questions inline.

    Saving a questionnaire that already has responses first archives the answered version with its
    responses (``freeze_answered_version``), then applies the changes to the next version, so the
    answers keep the wording they answered.
    """

    list_display = ["course", "kind", "version", "is_current", "updated_at"]
    list_filter = ["kind", "is_current"]
    search_fields = ["course__code", "course__title", "title"]
    readonly_fields = ["version", "is_current", "created_at", "updated_at"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["course", "kind"]
        return fields

    def get_inlines(self, request, obj):
        if obj is not None and not obj.is_current:
            return []  # archived versions are evidence: read them, do not change them
        return super().get_inlines(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_current:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            archived = freeze_answered_version(questionnaire=obj)
            if archived is not None:
                messages.info(
                    request,
                    _(
                        "This questionnaire had answers: they stay with version %(old)s; your "
                        "changes make version %(new)s."
                    )
                    % {"old": archived.version, "new": obj.version},
                )
        super().save_model(request, obj, form, change)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "value_int", "value_bool", "value_text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["course_session", "kind", "enrolment", "submitted_at", "entered_by_trainer", "anonymised_at"]
    list_filter = ["kind", "entered_by_trainer"]
    search_fields = ["enrolment__last_name", "enrolment__email", "course_session__course__code"]
    raw_id_fields = ["enrolment", "course_session", "questionnaire", "entered_by"]
    readonly_fields = [
        "questionnaire",
        "kind",
        "course_session",
        "enrolment",
        "submitted_at",
        "entered_by_trainer",
        "entered_by",
        "anonymised_at",
    ]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "kind", "step", "sent_at"]
    list_filter = ["kind", "step"]
    raw_id_fields = ["enrolment", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DailySatisfaction)
class DailySatisfactionAdmin(admin.ModelAdmin):
    list_display = ["course", "day", "score_count", "score_sum", "recommend_answers", "recommend_yes"]
    list_filter = ["course"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PastSatisfaction)
class PastSatisfactionAdmin(admin.ModelAdmin):
    """Figures brought from before Academy; they join the public figure while their period is in
    the last 12 months (also imported with ``manage.py import_past_satisfaction``)."""

    list_display = [
        "course",
        "first_day",
        "last_day",
        "score_count",
        "mean_score",
        "recommend_yes",
        "recommend_answers",
    ]
    list_filter = ["course"]
