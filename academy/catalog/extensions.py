"""Extension points of the public catalogue pages.

Higher apps (scheduling, evaluation…) add blocks to the course page and facts to the catalogue
listing without the catalogue importing them: each registers here from its ``AppConfig.ready()``.

A *course panel* renders one block of the course page in a named ``slot`` (``"sessions"``,
``"figures"``, ``"aside"``). A *listing annotator* receives every course of a listing page at once
and returns extra context per course id, so the listing stays at a bounded number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Course


@dataclass(frozen=True)
class CoursePanel:
    """A block of the course page: ``template`` rendered with ``context(request, course)``.

    ``context`` returns a dict, or None to hide the block. ``order`` sorts panels inside a slot.
    """

    name: str
    slot: str
    template: str
    context: Callable[[HttpRequest, Course], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ListingAnnotator:
    """Extra facts for the catalogue listing: ``annotate(courses)`` returns ``{course_id: {key: value}}``."""

    name: str
    annotate: Callable[[Sequence[Course]], dict[int, dict]]


@dataclass(frozen=True)
class CourseInstanceFacts:
    """One upcoming delivery of a course as its public page describes it (schema.org CourseInstance).

    ``starts_at``/``ends_at`` are aware, in the session's timezone; ``dates`` are the local days it runs; ``hours`` its
    length; ``mode`` is ``"onsite"``, ``"online"`` or ``"blended"``; ``place`` the venue address
    (never the remote link, which is for enrolled trainees); ``price_incl_vat`` per trainee or
    None; ``url`` the page where one enrols; ``full`` when only the waiting list is left.
    """

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    dates: tuple[datetime.date, ...]
    hours: Decimal
    mode: str
    place: str
    language: str
    price_incl_vat: Decimal | None
    currency: str
    url: str
    full: bool


_panels: dict[str, CoursePanel] = {}
_annotators: dict[str, ListingAnnotator] = {}
_instance_providers: dict[str, Callable[[Course], list[CourseInstanceFacts]]] = {}


def register_course_panel(panel: CoursePanel) -> None:
    """Add or replace (by name) a course-page panel."""
    _panels[panel.name] = panel


def register_listing_annotator(annotator: ListingAnnotator) -> None:
    """Add or replace (by name) a catalogue-listing annotator."""
    _annotators[annotator.name] = annotator


def course_panels(request: HttpRequest, course: Course) -> dict[str, list[dict]]:
    """Return ``{slot: [{"name", "template", "context"}, …]}`` for ``course``, each slot in order."""
    slots: dict[str, list[dict]] = {}
    for panel in sorted(_panels.values(), key=lambda p: (p.slot, p.order, p.name)):
        context = panel.context(request, course)
        if context is None:
            continue
        slots.setdefault(panel.slot, []).append({"name": panel.name, "template": panel.template, "context": context})
    return slots


def annotate_listing(courses: Sequence[Course]) -> dict[int, dict]:
    """Merge every annotator's facts: ``{course_id: {key: value}}``."""
    merged: dict[int, dict] = {course.pk: {} for course in courses}
    for annotator in _annotators.values():
        for course_id, facts in annotator.annotate(courses).items():
            merged.setdefault(course_id, {}).update(facts)
    return merged


def register_course_instances(name: str, provider: Callable[[Course], list[CourseInstanceFacts]]) -> None:
    """Add or replace (by name) the provider of a course's upcoming deliveries."""
    _instance_providers[name] = provider


def course_instances(course: Course) -> list[CourseInstanceFacts]:
    """Every registered provider's upcoming deliveries of ``course``, earliest first."""
    instances = [facts for provider in _instance_providers.values() for facts in provider(course)]
    return sorted(instances, key=lambda facts: facts.starts_at)
