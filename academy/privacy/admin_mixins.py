"""``AuditedAdminMixin``: log every read and change of personal data made in the back office.

Use it first in the bases of a ModelAdmin holding personal data, certificates or attendance::

    @admin.register(Enrolment)
    class EnrolmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
        ...

Entries name the object and the changed fields, never their values, so the log itself holds
no personal data beyond what the object reference points to.
"""

from __future__ import annotations

from academy.core.services import record_audit


class AuditedAdminMixin:
    """Record list views, object views, additions, changes and deletions in the audit log."""

    def _object_type(self) -> str:
        return "%s.%s" % (self.model._meta.app_label, self.model._meta.model_name)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 200) == 200:
            search = request.GET.get("q", "")
            record_audit(
                action="view",
                object_type=self._object_type(),
                summary="List viewed" + (" (search)" if search else ""),
                request=request,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 200) == 200:
            record_audit(
                action="view",
                object_type=self._object_type(),
                object_id=str(object_id),
                summary="Viewed in the back office",
                request=request,
            )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = ", ".join(sorted(form.changed_data)) if form is not None else ""
        record_audit(
            action="change" if change else "create",
            obj=obj,
            summary=("Changed fields: %s" % fields) if change else "Added in the back office",
            request=request,
        )

    def delete_model(self, request, obj):
        object_id = str(obj.pk)
        super().delete_model(request, obj)
        record_audit(
            action="delete",
            object_type=self._object_type(),
            object_id=object_id,
            summary="Deleted in the back office",
            request=request,
        )

    def delete_queryset(self, request, queryset):
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        for object_id in ids:
            record_audit(
                action="delete",
                object_type=self._object_type(),
                object_id=object_id,
                summary="Deleted in the back office (bulk)",
                request=request,
            )
