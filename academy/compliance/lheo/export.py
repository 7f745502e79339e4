"""Write the published catalogue and its upcoming sessions as an LHEO 2.3 offer.

One ``formation`` per published course; one ``action`` per upcoming inter-company session (its
place, rhythm, price, accessibility, language) holding one ``session`` (its dates); a course with
no upcoming session gets one action whose session has the LHEO "dates not known" period
(00000000–99999999). The course's own file (``academy.catalog.coursefiles``) travels in an
``extras`` element, so that a file exported here imports back to the same course.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from academy.catalog.coursefiles import serialise_course
from academy.catalog.models import Course
from academy.core.models import TrainingOrganisation
from academy.core.numbers import round_half_up
from academy.core.text import markdown_to_text
from academy.scheduling.models import CourseSession

from .schema import NAMESPACE, lheo_schema

#: ``extras/@info`` and ``extra/@info`` carrying the course file.
EXTRAS_INFO = "academy"
COURSE_FILE_INFO = "course-file"
#: FORMACODE codes of the public aimed at (``code-public-vise``), from the setting
#: ``ACADEMY_LHEO_PUBLIC_CODES``; see docs/lheo.md.
DEFAULT_PUBLIC_CODES = ("83056",)
UNKNOWN_START, UNKNOWN_END = "00000000", "99999999"
POSTCODE_RE = re.compile(r"^(?P<before>.*?)(?P<postcode>\d{5})\s+(?P<city>\S.*)$")


class LheoError(Exception):
    """The offer cannot be written as valid LHEO; the message says what to complete."""


def _clip(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_address(text: str) -> tuple[list[str], str, str] | None:
    """``(lines, postcode, city)`` from a free-text French address, or None without a postcode.

    Lines are separated by new lines or ``;``; the postcode is five digits followed by the city.
    """
    parts = [p.strip(" ,") for p in re.split(r"[\n;]", text or "") if p.strip(" ,")]
    for index in range(len(parts) - 1, -1, -1):
        match = POSTCODE_RE.match(parts[index])
        if match:
            lines = parts[:index]
            before = match.group("before").strip(" ,")
            if before:
                lines.append(before)
            lines = [_clip(line, 50) for line in lines][:3] or ["-"]
            return lines, match.group("postcode"), _clip(match.group("city"), 50)
    return None


class _Builder:
    def __init__(self):
        self.nsmap = {None: NAMESPACE}

    def el(self, parent, tag: str, text: str | None = None, **attrs):
        node = etree.SubElement(
            parent, "{%s}%s" % (NAMESPACE, tag), **{k.replace("_", "-"): v for k, v in attrs.items()}
        )
        if text is not None:
            node.text = text
        return node


def organisation_problems(organisation: TrainingOrganisation) -> list[str]:
    """What the training organisation's record lacks for a valid LHEO offer (empty when complete)."""
    problems = []
    if not re.fullmatch(r"\d{14}", organisation.siret or ""):
        problems.append(_("SIRET (14 digits)"))
    if not re.fullmatch(r"\d{11}", organisation.declaration_number or ""):
        problems.append(_("declaration number (11 digits)"))
    if split_address(organisation.address) is None:
        problems.append(_("address with a postcode"))
    return problems


def _address(b: _Builder, parent, text: str) -> None:
    lines, postcode, city = split_address(text)
    address = b.el(parent, "adresse")
    for line in lines:
        b.el(address, "ligne", line)
    b.el(address, "codepostal", postcode)
    b.el(address, "ville", city)


def _coordinates(b: _Builder, parent, organisation: TrainingOrganisation, *, with_address: bool) -> None:
    coordinates = b.el(parent, "coordonnees")
    if with_address:
        _address(b, coordinates, organisation.address)
    if organisation.phone:
        b.el(b.el(coordinates, "telfixe"), "numtel", _clip(organisation.phone, 25))
    if organisation.email:
        b.el(coordinates, "courriel", _clip(organisation.email, 160))
    if organisation.website:
        b.el(b.el(coordinates, "web"), "urlweb", _clip(organisation.website, 400))


def _programme_text(course: Course) -> str:
    parts = []
    for section in course.sections.all():
        parts.append(section.title)
        parts.extend("- %s" % markdown_to_text(item.text) for item in section.items.all())
    return "\n".join(parts)


def _teaching_mode(course_session: CourseSession | None) -> str:
    """``modalites-enseignement``: 0 on site, 1 mixed, 2 wholly at a distance."""
    if course_session is None:
        return "0"
    if course_session.is_remote_only:
        return "2"
    return "1" if course_session.remote_url else "0"


def _hours(value) -> str | None:
    if value is None:
        return None
    return str(int(round_half_up(Decimal(value), 0)))


def _action(b, formation, course: Course, organisation, course_session: CourseSession | None, site_url: str):
    action = b.el(formation, "action", numero="%s-%s" % (course.code, course_session.pk if course_session else "0"))
    b.el(action, "rythme-formation", _clip(course.format or "En journée", 3000))
    for code in getattr(settings, "ACADEMY_LHEO_PUBLIC_CODES", DEFAULT_PUBLIC_CODES):
        b.el(action, "code-public-vise", code)
    audience = markdown_to_text(course.audience)
    if audience:
        b.el(action, "info-public-vise", _clip(audience, 3000))
    b.el(action, "niveau-entree-obligatoire", "1" if course.has_prerequisites else "0")
    b.el(action, "modalites-alternance", "Sans objet")
    b.el(action, "modalites-enseignement", _teaching_mode(course_session))
    prerequisites = markdown_to_text(course.prerequisites) if course.has_prerequisites else ""
    b.el(action, "conditions-specifiques", _clip(prerequisites or "Aucune", 3000))
    b.el(action, "prise-en-charge-frais-possible", "1")
    if course_session is not None and split_address(course_session.venue_address):
        place = b.el(action, "lieu-de-formation")
        coordinates = b.el(place, "coordonnees")
        _address(b, coordinates, course_session.venue_address)
    b.el(action, "modalites-entrees-sorties", "0")
    if course_session is not None:
        b.el(b.el(action, "url-action"), "urlweb", site_url + course.get_absolute_url())
    session = b.el(action, "session", numero=str(course_session.pk) if course_session else "0")
    period = b.el(session, "periode")
    if course_session is not None and course_session.starts_at:
        tz = course_session.tzinfo
        b.el(period, "debut", course_session.starts_at.astimezone(tz).strftime("%Y%m%d"))
        b.el(period, "fin", course_session.ends_at.astimezone(tz).strftime("%Y%m%d"))
    else:
        b.el(period, "debut", UNKNOWN_START)
        b.el(period, "fin", UNKNOWN_END)
    _address(b, b.el(session, "adresse-inscription"), organisation.address)
    if course_session is not None:
        from django.urls import reverse

        url = site_url + reverse("enrolment:enrol", kwargs={"pk": course_session.pk})
        b.el(b.el(session, "url-session"), "urlweb", url)
    accessibility = markdown_to_text(course.accessibility)
    if accessibility:
        b.el(action, "acces-handicapes", _clip(accessibility, 250))
    b.el(action, "langue-formation", ((course_session.language if course_session else course.language) or "fr")[:2])
    methods = markdown_to_text(course.teaching_methods)
    if methods:
        b.el(action, "modalites-pedagogiques", _clip(methods, 200))
    if course_session is not None and course_session.price_incl_vat is not None:
        b.el(action, "prix-total-TTC", "%.2f" % course_session.price_incl_vat)
    if course.duration_hours:
        b.el(action, "duree-indicative", "%s h" % _hours(course.duration_hours))
    hours = _hours(course_session.duration_hours) if course_session is not None else _hours(course.duration_hours)
    if hours:
        b.el(action, "nombre-heures-total", hours)
    trainer_org = b.el(action, "organisme-formateur")
    b.el(b.el(trainer_org, "SIRET-formateur"), "SIRET", organisation.siret)
    b.el(trainer_org, "raison-sociale-formateur", _clip(organisation.legal_name or organisation.name, 250))


def _formation(b, offers, course: Course, sessions: list[CourseSession], organisation, site_url: str) -> None:
    formation = b.el(offers, "formation", numero=course.code)
    domain = b.el(formation, "domaine-formation")
    if course.nsf_code:
        b.el(domain, "code-NSF", course.nsf_code[:3])
    b.el(formation, "intitule-formation", _clip(course.title, 255))
    objectives = "\n".join("- %s" % markdown_to_text(o.text) for o in course.objectives.all())
    b.el(formation, "objectif-formation", _clip(objectives or course.title, 3000))
    results = markdown_to_text(course.evaluation_methods)
    b.el(formation, "resultats-attendus", _clip(results or objectives or course.title, 3000))
    content = _programme_text(course) or markdown_to_text(course.description)
    b.el(formation, "contenu-formation", _clip(content or course.title, 3000))
    certifying = course.general_objective in (Course.GeneralObjective.RNCP, Course.GeneralObjective.SPECIFIC_REGISTER)
    b.el(formation, "certifiante", "1" if certifying else "0")
    _coordinates(b, b.el(formation, "contact-formation"), organisation, with_address=False)
    b.el(formation, "parcours-de-formation", "1")
    b.el(formation, "code-niveau-entree", "0")
    b.el(b.el(formation, "url-formation"), "urlweb", site_url + course.get_absolute_url())
    for course_session in sessions or [None]:
        _action(b, formation, course, organisation, course_session, site_url)
    responsible = b.el(formation, "organisme-formation-responsable")
    b.el(responsible, "numero-activite", organisation.declaration_number)
    b.el(b.el(responsible, "SIRET-organisme-formation"), "SIRET", organisation.siret)
    b.el(responsible, "nom-organisme", _clip(organisation.name, 250))
    b.el(responsible, "raison-sociale", _clip(organisation.legal_name or organisation.name, 250))
    _coordinates(b, b.el(responsible, "coordonnees-organisme"), organisation, with_address=True)
    _coordinates(b, b.el(responsible, "contact-organisme"), organisation, with_address=False)
    try:
        course_file = serialise_course(course)
    except ValueError as exc:
        raise LheoError(str(exc)) from exc
    extras = b.el(formation, "extras", info=EXTRAS_INFO)
    b.el(extras, "extra", course_file, info=COURSE_FILE_INFO)


def upcoming_sessions(courses: Iterable[Course], now=None) -> dict[int, list[CourseSession]]:
    """Upcoming inter-company sessions open or full, by course id, in start order."""
    now = now or timezone.now()
    out: dict[int, list[CourseSession]] = {}
    sessions = (
        CourseSession.objects.filter(
            course__in=list(courses),
            kind=CourseSession.Kind.INTER_COMPANY,
            status__in=CourseSession.ENROLLING_STATUSES,
        )
        .with_dates()
        .filter(first_starts_at__gt=now)
        .select_related("course")
        .prefetch_related("slots")
        .order_by("first_starts_at", "pk")
    )
    for course_session in sessions:
        out.setdefault(course_session.course_id, []).append(course_session)
    return out


def offer_problem() -> str:
    """Why the offer cannot be produced, in a few words (empty when it can): the organisation's
    missing identifiers or the lack of a published course. Cheap: the document is not built."""
    problems = organisation_problems(TrainingOrganisation.current())
    if problems:
        return _("Complete the training organisation’s record: %(missing)s.") % {"missing": ", ".join(problems)}
    if not Course.objects.published().exists():
        return _("No published course to export.")
    return ""


def offer_xml(*, codes: Iterable[str] = (), now=None, site_url: str | None = None) -> bytes:
    """Return the LHEO 2.3 document (UTF-8 bytes) of the published courses (or of ``codes``).

    Raises ``LheoError`` when the organisation's record lacks what LHEO requires, when no course
    is published, or — which would be a defect — when the document does not validate.
    """
    organisation = TrainingOrganisation.current()
    problems = organisation_problems(organisation)
    if problems:
        raise LheoError(
            _("Complete the training organisation’s record: %(missing)s.") % {"missing": ", ".join(problems)}
        )
    courses = Course.objects.published().select_related("domain").prefetch_related("objectives", "sections__items")
    codes = list(codes)
    if codes:
        courses = courses.filter(code__in=codes)
    courses = list(courses.order_by("code"))
    if not courses:
        raise LheoError(_("No published course to export."))
    sessions = upcoming_sessions(courses, now=now)
    site_url = (site_url if site_url is not None else settings.SITE_URL).rstrip("/")
    b = _Builder()
    root = etree.Element("{%s}lheo" % NAMESPACE, nsmap=b.nsmap)
    offers = b.el(root, "offres")
    for course in courses:
        _formation(b, offers, course, sessions.get(course.pk, []), organisation, site_url)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    error = next(iter(lheo_schema().iter_errors(etree.fromstring(document))), None)
    if error is not None:
        raise LheoError("The offer does not validate against LHEO 2.3: %s (%s)" % (error.reason, error.path))
    return document
