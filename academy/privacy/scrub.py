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


def phone_variants(phone: str) -> list[str]:
    """Return the forms a phone number is typed in: as given, digits only, grouped by two with spaces,
    dots or dashes, and for a French number (``0X…`` or ``+33…``, 9 digits after the trunk) the
    ``+33``, ``+33 (0)`` and ``0033`` forms. Returns [] when fewer than 6 digits are given.

    Used to scrub a person's phone from free text (GDPR art. 17): people and staff type
    ``06 12 34 56 78``, ``06.12.34.56.78``, ``0612345678`` or ``+33 6 12 34 56 78`` alike.
    """
    raw = (phone or "").strip()
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 6:
        return []
    found = {raw, digits}
    national = None
    if digits.startswith("0033") and len(digits) == 13:
        national = digits[4:]
    elif digits.startswith("33") and raw.lstrip().startswith("+") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        national = digits[1:]
    if national:
        local = "0" + national
        pairs = [local[i : i + 2] for i in range(0, 10, 2)]
        rest = [national[0]] + [national[i : i + 2] for i in range(1, 9, 2)]
        for separator in (" ", ".", "-", ""):
            found.add(separator.join(pairs))
            found.add("+33" + separator + separator.join(rest))
            found.add("+33 (0)" + separator.join(rest))
            found.add("0033" + separator + separator.join(rest))
        found.add("+33" + national)
    return sorted((f for f in found if f), key=len, reverse=True)


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
