"""Rules of the catalogue: what a public course must show, publication, and requests from the public."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.core.models import TrainingOrganisation
from academy.core.services import queue_email, staff_recipients

from .exceptions import CoursePublicationError
from .models import Course, Lead

#: Items Qualiopi indicator 1 asks to be public for every course, with the check for each.
#: (Référentiel national qualité, indicateur 1: objectives, prerequisites, duration, access
#: arrangements and delays, prices, teaching and evaluation methods, accessibility; plus the
#: date the information was last updated, which the guide asks to show.)
PUBLIC_ITEMS = (
    ("title", gettext_lazy("title"), lambda c: bool(c.title.strip())),
    ("objectives", gettext_lazy("learning objectives"), lambda c: any(o.text.strip() for o in c.objectives.all())),
    ("audience", gettext_lazy("target audience"), lambda c: bool(c.audience.strip() or c.audience_also.strip())),
    (
        "prerequisites",
        gettext_lazy("prerequisites (or an explicit “no prerequisite”)"),
        lambda c: (not c.has_prerequisites) or bool(c.prerequisites.strip()),
    ),
    ("duration", gettext_lazy("duration in hours"), lambda c: bool(c.duration_hours)),
    ("teaching_methods", gettext_lazy("teaching methods"), lambda c: bool(c.teaching_methods.strip())),
    (
        "evaluation_methods",
        gettext_lazy("evaluation and follow-up methods"),
        lambda c: bool(c.evaluation_methods.strip()),
    ),
    ("programme", gettext_lazy("detailed programme"), lambda c: bool(c.sections.all())),
    ("access_delay", gettext_lazy("access delay"), lambda c: bool(c.access_delay.strip())),
    (
        "price",
        gettext_lazy("price (amount or note)"),
        lambda c: c.price_excl_vat is not None or bool(c.price_note.strip()),
    ),
    ("accessibility", gettext_lazy("accessibility for disabled people"), lambda c: bool(c.accessibility.strip())),
    ("last_updated", gettext_lazy("last-updated date"), lambda c: c.content_updated_on is not None),
)


def missing_public_items(course: Course) -> list[str]:
    """Return the labels (active language) of the Qualiopi indicator 1 items ``course`` lacks.

    An empty list means the course may be published. Uses ``course.objectives`` and
    ``course.sections`` (prefetch them when checking many courses). Source: Référentiel national
    qualité, indicator 1 (information published on the services offered).
    """
    return [str(label) for _key, label, present in PUBLIC_ITEMS if not present(course)]


def publish_course(*, course: Course) -> Course:
    """Publish ``course``.

    Raises ``CoursePublicationError`` (with ``.missing``, a list of labels) when an indicator 1
    item is missing; the course is then left unchanged.
    """
    missing = missing_public_items(course)
    if missing:
        raise CoursePublicationError(missing)
    if course.status != Course.Status.PUBLISHED:
        course.status = Course.Status.PUBLISHED
        course.save(update_fields=["status", "updated_at"])
    return course


def record_lead(*, kind: str, course: Course | None, values: dict, language: str | None = None) -> Lead:
    """Store a request from the public and queue its acknowledgement and the staff notification.

    ``values`` holds Lead field values (first_name, last_name, email, organisation_name, phone,
    trainee_count, wished_period, place, message). Both e-mails are stored with the lead in one
    transaction and delivered after commit; nothing is saved if any step fails.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    organisation = TrainingOrganisation.current()
    with transaction.atomic():
        lead = Lead.objects.create(kind=kind, course=course, language=language, **values)
        context = {"lead": lead, "course": course, "organisation": organisation, "site_url": settings.SITE_URL}
        with translation.override(language):
            queue_email(
                to=[lead.email],
                subject=_("%(organisation)s — we received your request") % {"organisation": organisation.name},
                body_text=render_to_string("catalog/email/lead_acknowledgement.txt", context),
                category="lead_acknowledgement",
            )
        recipients = staff_recipients()
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                queue_email(
                    to=recipients,
                    subject=_("New %(kind)s: %(name)s")
                    % {"kind": lead.get_kind_display().lower(), "name": "%s %s" % (lead.first_name, lead.last_name)},
                    body_text=render_to_string("catalog/email/lead_notification.txt", context),
                    reply_to=[lead.email],
                    category="lead_notification",
                )
    return lead
