"""schema.org ``Course`` description of a course page, built from the same fields as the page."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from academy.core.models import TrainingOrganisation
from academy.core.text import markdown_to_text

from .models import Course


def course_json_ld(*, course: Course, organisation: TrainingOrganisation, url: str) -> dict:
    """Return the schema.org ``Course`` object for ``course`` (https://schema.org/Course).

    ``name`` and ``description`` are the page's title and description text; durations are
    ISO 8601 (``PT7H``); the price, when known, is an ``Offer`` excluding VAT.
    """
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": markdown_to_text(course.description),
        "courseCode": course.code,
        "url": url,
        "inLanguage": course.language,
        "provider": {"@type": "Organization", "name": organisation.name},
    }
    if organisation.website:
        data["provider"]["url"] = organisation.website
    if course.subtitle:
        data["alternativeHeadline"] = course.subtitle
    if course.level:
        data["educationalLevel"] = course.get_level_display()
    if course.duration_hours:
        hours = course.duration_hours.normalize()
        data["timeRequired"] = "PT%sH" % (hours.quantize(1) if hours == hours.to_integral_value() else hours)
    objectives = [markdown_to_text(o.text) for o in course.objectives.all()]
    if objectives:
        data["teaches"] = objectives
    prerequisites = markdown_to_text(course.prerequisites)
    if prerequisites:
        data["coursePrerequisites"] = prerequisites
    audience = markdown_to_text("%s\n\n%s" % (course.audience, course.audience_also))
    if audience:
        data["audience"] = {"@type": "Audience", "audienceType": audience}
    if course.content_updated_on:
        data["dateModified"] = course.content_updated_on.isoformat()
    if course.price_excl_vat is not None:
        data["offers"] = {
            "@type": "Offer",
            "category": "Paid",
            "price": str(course.price_excl_vat),
            "priceCurrency": course.price_currency,
        }
    return data


def json_ld_script(data: dict) -> SafeString:
    """Return a ``<script type="application/ld+json">`` element; ``<``, ``>`` and ``&`` are escaped
    so text from the course can never close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe('<script type="application/ld+json">%s</script>' % text)  # noqa: S308 — escaped above
