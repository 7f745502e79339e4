"""Rules of the catalogue: what a public course must show, publication, and requests from the public."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from academy.core.notifications import notify
from academy.core.services import staff_recipients

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


#: E-mail events of the catalogue (registered by the app's ``ready()``).
EMAIL_EVENTS = {
    "lead.acknowledgement": gettext_lazy(
        "To the visitor: their request arrived (fixed wording, never their free text)."
    ),
    "lead.staff_notification": gettext_lazy("To staff: a request from the public, with everything typed."),
}

#: A first name worth greeting: letters, spaces, hyphens and apostrophes, up to 40 characters (no
#: dots, so no web address reads as a name).
_GREETABLE_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’-]){0,39}")


def greeting_name(first_name: str) -> str:
    """Return ``first_name`` when it reads as a name, else "" (the greeting then names nobody).

    An acknowledgement goes to whatever address a visitor types, so it must not carry text of
    their choosing: a "name" holding a link or a sentence would turn it into a relay for spam.
    """
    name = " ".join((first_name or "").split())
    return name if _GREETABLE_NAME.fullmatch(name) else ""


def record_lead(*, kind: str, course: Course | None, values: dict, language: str | None = None) -> Lead:
    """Store a request from the public and queue its acknowledgement and the staff notification.

    ``values`` holds Lead field values (first_name, last_name, email, organisation_name, phone,
    trainee_count, wished_period, place, message). Both e-mails are stored with the lead in one
    transaction and delivered after commit; nothing is saved if any step fails. The
    acknowledgement is fixed wording, the course and at most a greeting name (``greeting_name``):
    the message and other free text go to staff only, so the form cannot relay text to a third
    party.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        lead = Lead.objects.create(kind=kind, course=course, language=language, **values)
        with translation.override(language):
            kind_label = str(lead.get_kind_display())
        notify(
            event="lead.acknowledgement",
            to=[lead.email],
            context={"course": course, "kind_label": kind_label, "greeting_name": greeting_name(lead.first_name)},
            language=language,
            category="lead_acknowledgement",
        )
        recipients = staff_recipients()
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                staff_kind = str(lead.get_kind_display()).lower()
            notify(
                event="lead.staff_notification",
                to=recipients,
                context={
                    "lead": lead,
                    "course": course,
                    "kind": staff_kind,
                    "name": "%s %s" % (lead.first_name, lead.last_name),
                },
                language=settings.LANGUAGE_CODE,
                reply_to=[lead.email],
                category="lead_notification",
            )
    return lead
