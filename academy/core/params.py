"""Validated parsing of values a browser sends by hand (query strings, posted ids).

Views never call ``int()`` or ``parse_date()`` on request data directly: a value a person can
type into the address bar must give "not found" or a form message, never a server error.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

# Largest primary key both SQLite and PostgreSQL (bigint) can hold.
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The positive integer id written in ``value`` (a str from GET/POST), or None when it is not one.

    Only ASCII digits are accepted (no sign, spaces, exponent or Unicode digits), and the value
    must fit a database primary key, so the result can be passed to a query safely.
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value[:20])
    return number if 0 < number <= MAX_ID and len(value) <= 20 else None


class DateRangeForm(forms.Form):
    """``since``/``until`` dates of a staff listing's query string (ISO ``YYYY-MM-DD``, both optional).

    Use ``DateRangeForm(request.GET)``; ``dates()`` gives the valid ones and ignores the others,
    whose message the template shows next to the field.
    """

    since = forms.DateField(required=False, label=_("From"), input_formats=["%Y-%m-%d"])
    until = forms.DateField(required=False, label=_("to"), input_formats=["%Y-%m-%d"])

    def dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        """(since, until) as dates, each None when missing or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("since"), data.get("until")
