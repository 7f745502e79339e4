"""Template filters: ``{% load academy %}`` then ``{{ text|markdown }}``, ``{{ dt|local:tz }}``."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import template
from django.utils.translation import pgettext

from academy.core.text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str | None):
    """Render Markdown then sanitise it (see ``academy.core.text.render_markdown``)."""
    return render_markdown(text)


@register.filter
def local(value, tz_name: str = "Europe/Paris"):
    """Convert an aware datetime to the timezone ``tz_name`` (a session's timezone)."""
    if value is None:
        return value
    return value.astimezone(ZoneInfo(tz_name or "Europe/Paris"))


@register.simple_tag
def colon() -> str:
    """The separator after a label (``{% colon %}``): ": " in English, " : " in French typography."""
    return pgettext("label separator", ": ")


@register.filter
def event_label(name: str) -> str:
    """What the e-mail event ``name`` sends, in words (its registered description), else the name itself."""
    from academy.core.notifications import email_events

    event = email_events().get(name)
    return str(event.description) if event and event.description else name
