"""schema.org ``Course`` description of a course page, built from the same fields as the page."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe

from academy.core.models import TrainingOrganisation
from academy.core.text import markdown_to_text

from .extensions import CourseInstanceFacts, course_instances
from .models import Course

#: schema.org ``courseMode`` of each delivery mode.
COURSE_MODES = {"onsite": "Onsite", "online": "Online", "blended": "Blended"}


def _iso_hours(hours: Decimal) -> str:
    hours = Decimal(hours).normalize()
    return "PT%sH" % (hours.quantize(1) if hours == hours.to_integral_value() else hours)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return "%s://%s" % (parts.scheme, parts.netloc) if parts.scheme else ""


def _offer(price: Decimal, currency: str, *, url: str, vat_included: bool, full: bool = False) -> dict:
    offer = {
        "@type": "Offer",
        "category": "Paid",
        "price": str(price),
        "priceCurrency": currency,
        "priceSpecification": {
            "@type": "PriceSpecification",
            "price": str(price),
            "priceCurrency": currency,
            "valueAddedTaxIncluded": vat_included,
        },
        "url": url,
    }
    if full:
        offer["availability"] = "https://schema.org/SoldOut"
    return offer


def course_instance_json_ld(facts: CourseInstanceFacts, *, origin: str, course_url: str) -> dict:
    """Return the schema.org ``CourseInstance`` of one upcoming delivery (https://schema.org/CourseInstance).

    ``courseMode`` is Onsite, Online or Blended; ``courseSchedule`` gives the local dates and the
    length (ISO 8601); ``location`` is the venue, or a ``VirtualLocation`` pointing at the page
    where one enrols (the meeting link is only for enrolled trainees).
    """
    enrol_url = origin + facts.url
    instance: dict = {
        "@type": "CourseInstance",
        "courseMode": COURSE_MODES[facts.mode],
        "startDate": facts.starts_at.isoformat(),
        "endDate": facts.ends_at.isoformat(),
        "inLanguage": facts.language,
        "courseSchedule": {
            "@type": "Schedule",
            "startDate": facts.dates[0].isoformat(),
            "endDate": facts.dates[-1].isoformat(),
            "repeatCount": len(facts.dates),
            "repeatFrequency": "Daily",
            "duration": _iso_hours(facts.hours),
        },
        "url": enrol_url,
    }
    if facts.mode == "online":
        instance["location"] = {"@type": "VirtualLocation", "url": course_url}
    else:
        place = " ".join(facts.place.split())
        instance["location"] = {"@type": "Place", "name": place, "address": place}
    if facts.price_incl_vat is not None:
        instance["offers"] = _offer(
            facts.price_incl_vat, facts.currency, url=enrol_url, vat_included=True, full=facts.full
        )
    return instance


def course_json_ld(
    *, course: Course, organisation: TrainingOrganisation, url: str, instances: list | None = None
) -> dict:
    """Return the schema.org ``Course`` object for ``course`` (https://schema.org/Course).

    ``name`` and ``description`` are the page's title and description text; durations are
    ISO 8601 (``PT7H``). ``hasCourseInstance`` lists the upcoming sessions open for enrolment
    (``instances``, by default from the providers registered in ``catalog.extensions``);
    ``offers`` is the course's price excluding VAT when it has one, else each session's price.
    """
    if instances is None:
        instances = course_instances(course)
    origin = _origin(url)
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
        data["timeRequired"] = _iso_hours(course.duration_hours)
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
    if instances:
        data["hasCourseInstance"] = [
            course_instance_json_ld(facts, origin=origin, course_url=url) for facts in instances
        ]
    if course.price_excl_vat is not None:
        data["offers"] = _offer(course.price_excl_vat, course.price_currency, url=url, vat_included=False)
    elif any("offers" in instance for instance in data.get("hasCourseInstance", [])):
        data["offers"] = [instance["offers"] for instance in data["hasCourseInstance"] if "offers" in instance]
    return data


def json_ld_script(data: dict) -> SafeString:
    """Return a ``<script type="application/ld+json">`` element; ``<``, ``>`` and ``&`` are escaped
    so text from the course can never close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe('<script type="application/ld+json">%s</script>' % text)  # noqa: S308 — escaped above
