"""Helpers to remove a person's identifiers from free text (case-insensitive, HTML-escaped forms too)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q
from django.utils.html import escape

from .registry import ERASED_TEXT


def variants(texts: Iterable[str]) -> list[str]:
    """Return ``texts`` and their HTML-escaped forms, longest first, without duplicates or blanks."""
    found = set()
    for text in texts:
        text = (text or "").strip()
        if len(text) >= 3:
            found.add(text)
            found.add(str(escape(text)))
    return sorted(found, key=len, reverse=True)


def scrub_text(value: str, texts: list[str]) -> str:
    """Return ``value`` with every occurrence of ``texts`` replaced by ``[erased]`` (case-insensitive)."""
    if not value:
        return value
    for text in texts:
        value = re.sub(re.escape(text), ERASED_TEXT, value, flags=re.IGNORECASE)
    return value


def contains_any(fields: Iterable[str], texts: list[str]) -> Q:
    """Return a Q matching rows where any of ``fields`` contains any of ``texts``."""
    query = Q(pk__in=[])
    for text in texts:
        for field in fields:
            query |= Q(**{"%s__icontains" % field: text})
    return query
