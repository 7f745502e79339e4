"""Form widgets shared by the apps.

HTML5 ``<input type="date">`` and ``<input type="time">`` exchange values in ISO form
(``2026-03-27``, ``09:00``) whatever the page's language (WHATWG HTML, "valid date string" and
"valid time string"); the browser shows them in the user's locale. A value rendered in the
language's format (``27/03/2026`` in French) is not a valid date string: the browser shows the
field empty and the next save fails with "this field is required". These widgets always render
ISO values and are never localised.
"""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` whose value is always ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)
        self.is_localized = False


class IsoTimeInput(forms.TimeInput):
    """``<input type="time">`` whose value is always ``HH:MM`` (24-hour)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_TIME)
        self.is_localized = False
