"""Query filters every list shares: ``updated_since``, ``status``, ``course``, ``date_from``/``date_to``.

A viewset names the lookups its filters map to; the values are read by a serializer, so a
malformed value (a date that is not a date, an unknown status) answers 400 with a problem
document naming the parameter, and the OpenAPI schema lists each parameter with its type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from rest_framework import serializers


@dataclass(frozen=True)
class Filters:
    """Lookups of one resource. ``updated`` and ``date`` may name several fields (any matches)."""

    updated: tuple[str, ...] = ()
    date: str = ""
    #: True when ``date`` is a DateField (compared as is), False for a DateTimeField (its local day).
    date_is_day: bool = False
    status_choices: tuple = ()
    status: str = "status"
    course: str = ""
    extra: dict = field(default_factory=dict)


def filter_serializer(name: str, spec: Filters) -> type[serializers.Serializer]:
    """Build the serializer reading ``spec``'s query parameters (its class name shows in the schema)."""
    fields: dict[str, serializers.Field] = {}
    if spec.updated:
        fields["updated_since"] = serializers.DateTimeField(
            required=False, help_text="Only objects created or changed at or after this instant (ISO 8601)."
        )
    if spec.status_choices:
        fields["status"] = serializers.ChoiceField(choices=spec.status_choices, required=False)
    if spec.course:
        fields["course"] = serializers.CharField(required=False, max_length=20, help_text="Course code, e.g. COMNUM.")
    if spec.date:
        fields["date_from"] = serializers.DateField(required=False, help_text="On or after this day (YYYY-MM-DD).")
        fields["date_to"] = serializers.DateField(required=False, help_text="On or before this day (YYYY-MM-DD).")
    for key, (serializer_field, _lookup) in spec.extra.items():
        fields[key] = serializer_field
    return type(name, (serializers.Serializer,), fields)


def apply_filters(queryset, spec: Filters, params: dict):
    """Narrow ``queryset`` by the validated ``params`` of ``spec``."""
    if since := params.get("updated_since"):
        condition = Q()
        for lookup in spec.updated:
            condition |= Q(**{"%s__gte" % lookup: since})
        queryset = queryset.filter(condition)
    if status := params.get("status"):
        queryset = queryset.filter(**{spec.status: status})
    if course := params.get("course"):
        queryset = queryset.filter(**{spec.course: course})
    day_lookup = spec.date if spec.date_is_day else "%s__date" % spec.date
    if day := params.get("date_from"):
        queryset = queryset.filter(**{"%s__gte" % day_lookup: day})
    if day := params.get("date_to"):
        queryset = queryset.filter(**{"%s__lte" % day_lookup: day})
    for key, (_field, lookup) in spec.extra.items():
        if (value := params.get(key)) is not None:
            queryset = queryset.filter(**{lookup: value})
    return queryset
