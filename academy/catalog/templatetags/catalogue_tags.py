"""Display helpers for courses: ``{% load catalogue_tags %}``."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from academy.core.typography import money_excl_vat

register = template.Library()


def plain_number(value: Decimal | None) -> str:
    """Format a Decimal without useless trailing zeros, in the active language ("3,5" in French)."""
    if value is None:
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True)


@register.filter
def number(value):
    return plain_number(value)


@register.filter
def duration(course) -> str:
    """ "7 h / 1 j" in French, "7 h / 1 d" in English; either part alone when the other is unknown."""
    hours, days = course.duration_hours, course.duration_days
    if hours and days:
        return _("%(hours)s h / %(days)s d") % {"hours": plain_number(hours), "days": plain_number(days)}
    if hours:
        return _("%(hours)s h") % {"hours": plain_number(hours)}
    if days:
        return _("%(days)s d") % {"days": plain_number(days)}
    return ""


@register.filter
def price(course) -> str:
    """The price excluding VAT with its currency, or the price note, or both."""
    parts = []
    if course.price_excl_vat is not None:
        parts.append(money_excl_vat(course.price_excl_vat, course.price_currency))
    if course.price_note:
        parts.append(course.price_note)
    return " — ".join(parts)
