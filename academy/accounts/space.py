"""Sections of "my space" contributed by the apps that own what they show.

"My space" (``accounts:home``) belongs to the accounts app, which sits below the apps that hold
sessions, enrolments and certificates. Those apps register a section here when they are ready;
each section receives the request and returns HTML for the signed-in person, or "" when it has
nothing for them. The registry is filled once at start-up and never changes afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

Section = Callable[[HttpRequest], str]

_sections: list[Section] = []


def register_section(section: Section) -> Section:
    """Add ``section`` to "my space" (once, whatever the number of calls); return it, for use as a decorator."""
    if section not in _sections:
        _sections.append(section)
    return section


def render_sections(request: HttpRequest) -> list[SafeString]:
    """Return the HTML of every registered section that has something for ``request.user``."""
    rendered = (section(request) for section in _sections)
    return [SafeString(html) for html in rendered if html]
