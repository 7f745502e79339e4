"""The role matrix: which role may reach which URL of the project.

Every URL pattern found by walking ``get_resolver()`` must be classified here or in a
``tests/<app>/roles.py`` module defining ``MATRIX = {name: Rule(...)}`` (merged in, so each app
classifies its own pages). A pattern is named ``namespace:name``; an unnamed one by its route
(``"route:<route>"``); ``"admin:*"`` classifies every admin page not listed by name.

``Rule.allowed`` lists the roles that may reach the page *for the object the rule builds*. Object
pages are given an object owned by nobody among the non-staff test users (another client
organisation, another trainer, another trainee), so normally only staff roles are allowed there.
``unchecked`` lists roles whose answer depends on fine-grained permissions (e.g. the admin's
per-model permissions for a planner) and is not asserted.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.urls import URLResolver, get_resolver

from academy.core.models import AuditLogEntry
from tests.factories.catalog import CourseFactory
from tests.factories.core import ClientOrganisationFactory, TrainingOrganisationFactory
from tests.factories.enrolment import BookingFactory, EnrolmentFactory
from tests.factories.privacy import (
    LeadFactory,
    OutboundEmailFactory,
    UserFactory,
    client_contact_user,
    staff_admin,
    staff_planner,
    trainee_user,
    trainer_user,
)
from tests.factories.scheduling import CourseSessionFactory, TrainerFactory, add_day

ANONYMOUS = "anonymous"
TRAINEE = "trainee"
CLIENT_CONTACT = "client_contact"
TRAINER = "trainer"
STAFF_PLANNER = "staff_planner"
STAFF_ADMIN = "staff_administrator"
#: ``is_staff`` without any role group: Django lets them into the admin index, and nothing else opens.
STAFF_WITHOUT_ROLE = "staff_without_role"
ROLES = [ANONYMOUS, TRAINEE, CLIENT_CONTACT, TRAINER, STAFF_WITHOUT_ROLE, STAFF_PLANNER, STAFF_ADMIN]

EVERYONE = frozenset(ROLES)
STAFF = frozenset({STAFF_PLANNER, STAFF_ADMIN})
ADMINS = frozenset({STAFF_ADMIN})
NOBODY = frozenset()


@dataclass(frozen=True)
class Rule:
    """How to request a URL, and who may get through.

    ``kwargs(world)`` and ``data(world)`` build the URL arguments and the POST body from the
    test world (``tests/accounts/role_matrix.World``).
    """

    allowed: frozenset
    kwargs: Callable[[object], dict] = lambda world: {}
    method: str = "GET"
    data: Callable[[object], dict] = lambda world: {}
    unchecked: frozenset = frozenset()
    refused_when: Callable[[object], bool] | None = None


def _person_token(world) -> dict:
    from academy.privacy.views import person_token

    return {"token": person_token(world.enrolment.email)}


MATRIX: dict[str, Rule] = {
    # Django's own
    "set_language": Rule(EVERYONE, method="POST", data=lambda w: {"language": "en", "next": "/"}),
    "admin:*": Rule(NOBODY, kwargs=lambda w: {}, unchecked=STAFF),
    # Django shows any staff account the (empty) admin index, its own password form and the admin's
    # JavaScript translations; no model page.
    "admin:jsi18n": Rule(frozenset({STAFF_WITHOUT_ROLE}), unchecked=STAFF),
    "admin:index": Rule(frozenset({STAFF_WITHOUT_ROLE}), unchecked=STAFF),
    "admin:password_change": Rule(frozenset({STAFF_WITHOUT_ROLE}), unchecked=STAFF),
    "admin:password_change_done": Rule(frozenset({STAFF_WITHOUT_ROLE}), unchecked=STAFF),
    "admin:login": Rule(EVERYONE),
    # Harmless for anyone: non-staff are sent to the admin index, hence to the log-in page.
    "admin:logout": Rule(EVERYONE),
    "admin:core_auditlogentry_changelist": Rule(ADMINS),
    "admin:core_auditlogentry_change": Rule(ADMINS, kwargs=lambda w: {"object_id": w.audit_entry.pk}),
    "admin:privacy_consentrecord_changelist": Rule(ADMINS),
    "admin:privacy_clientcontact_changelist": Rule(ADMINS),
    # core
    "core:robots_txt": Rule(EVERYONE),
    "core:outbox": Rule(STAFF),
    "core:outbox_email": Rule(STAFF, kwargs=lambda w: {"pk": w.outbound_email.pk}),
    "core:outbox_retry": Rule(STAFF, kwargs=lambda w: {"pk": w.outbound_email.pk}, method="POST"),
    # catalogue (public)
    "catalog:course_list": Rule(EVERYONE),
    "catalog:course_detail": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:programme_pdf": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:quote_request": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:customisation_request": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:interest_signal": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:contact": Rule(EVERYONE),
    "catalog:sitemap": Rule(EVERYONE),
    "catalog:sitemap_section": Rule(EVERYONE, kwargs=lambda w: {"section": "courses"}),
    # compliance (public legal pages)
    "compliance:legal_notice": Rule(EVERYONE),
    "compliance:accessibility": Rule(EVERYONE),
    # privacy
    "privacy:policy": Rule(EVERYONE),
    "privacy:cookies": Rule(EVERYONE),
    "privacy:consent": Rule(EVERYONE, method="POST", data=lambda w: {"choice": "refuse_all"}),
    "privacy:audience": Rule(STAFF),
    "privacy:people": Rule(ADMINS),
    "privacy:person": Rule(ADMINS, kwargs=_person_token),
    "privacy:person_json": Rule(ADMINS, kwargs=_person_token),
    "privacy:person_erase": Rule(
        ADMINS, kwargs=_person_token, method="POST", data=lambda w: {"confirm_email": "x@y.fr"}
    ),
    # accounts
    "accounts:login": Rule(EVERYONE),
    "accounts:logout": Rule(EVERYONE, method="POST"),
    "accounts:home": Rule(frozenset(ROLES) - {ANONYMOUS}),
    "accounts:two_factor": Rule(STAFF),
    # scheduling: calendar files of published sessions are public; a trainer's feed needs its signed link
    "scheduling:session_ics": Rule(EVERYONE, kwargs=lambda w: {"pk": w.course_session.pk}),
    "scheduling:course_feed": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "scheduling:trainer_feed": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "scheduling:private_session_ics": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    # enrolment: the public form (in-company sessions are not open to the public), signed links, staff pages
    "enrolment:enrol": Rule(EVERYONE, kwargs=lambda w: {"pk": w.open_session.pk}),
    "enrolment:course_sessions": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "enrolment:booking": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "enrolment:cancel": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "enrolment:offer": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "enrolment:planning": Rule(STAFF),
    "enrolment:session_enrolments": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk}),
    "enrolment:session_enrolments_csv": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk}),
    "enrolment:session_enrolments_xlsx": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk}),
    # attendance: the list of one's own sessions for anyone signed in; a session's pages for its
    # trainers and staff only; signing needs a scan pass or a signed link
    "attendance:index": Rule(EVERYONE - {ANONYMOUS}),
    "attendance:session": Rule(STAFF, kwargs=lambda w: {"session_id": w.course_session.pk}),
    "attendance:sheet_pdf": Rule(STAFF, kwargs=lambda w: {"session_id": w.course_session.pk}),
    "attendance:slot": Rule(STAFF, kwargs=lambda w: {"slot_id": w.slot.pk}),
    # The QR code exists only while the half-day is open for signing: staff may get 404 outside it.
    "attendance:qr": Rule(STAFF, kwargs=lambda w: {"slot_id": w.slot.pk}, unchecked=STAFF),
    "attendance:countersign": Rule(STAFF, kwargs=lambda w: {"slot_id": w.slot.pk}, method="POST"),
    "attendance:send_links": Rule(STAFF, kwargs=lambda w: {"slot_id": w.slot.pk}, method="POST"),
    "attendance:set_status": Rule(
        STAFF,
        kwargs=lambda w: {"slot_id": w.slot.pk},
        method="POST",
        data=lambda w: {"enrolment": w.enrolment.pk, "status": "present"},
    ),
    "core:favicon": Rule(EVERYONE),
    "attendance:kiosk": Rule(STAFF, kwargs=lambda w: {"slot_id": w.slot.pk}),
    # Outside kiosk mode, leaving it only leads back to the half-day page of those who run it.
    "attendance:kiosk_leave": Rule(
        STAFF, kwargs=lambda w: {"slot_id": w.slot.pk}, method="POST", data=lambda w: {"password": "wrong"}
    ),
    "attendance:scan_sign": Rule(NOBODY, kwargs=lambda w: {"slot_id": w.slot.pk}),
    "attendance:scan": Rule(NOBODY, kwargs=lambda w: {"slot_id": w.slot.pk, "token": FORGED_TOKEN}),
    "attendance:sign_link": Rule(NOBODY, kwargs=lambda w: {"slot_id": w.slot.pk, "token": FORGED_TOKEN}),
    # evaluation: answers by signed link; session pages for its trainers and staff; public indicators
    "evaluation:answer": Rule(
        NOBODY,
        kwargs=lambda w: {"token": FORGED_TOKEN},
        refused_when=lambda r: (
            r.status_code in (200, 400) and ("pas valide" in r.content.decode() or "not valid" in r.content.decode())
        ),
    ),
    "evaluation:session_opening": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk}),
    "evaluation:session_opening_print": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk}),
    "evaluation:session_opening_record": Rule(
        STAFF, kwargs=lambda w: {"pk": w.course_session.pk, "enrolment_pk": w.enrolment.pk}
    ),
    "evaluation:report": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk}),
    "evaluation:report_export": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk, "fmt": "csv"}),
    "evaluation:indicators": Rule(EVERYONE),
    "evaluation:indicators_export": Rule(EVERYONE, kwargs=lambda w: {"fmt": "csv"}),
    # certification: public check of a certificate id, trainee download by signed link, staff pages
    "certification:verify": Rule(NOBODY, kwargs=lambda w: {"public_id": "0" * 32}),
    "certification:download": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "certification:session": Rule(STAFF, kwargs=lambda w: {"session_id": w.course_session.pk}),
    "certification:start_batch": Rule(STAFF, kwargs=lambda w: {"session_id": w.course_session.pk}, method="POST"),
    # Unknown ids: staff get 404 like everyone, so only the refusal of the others is asserted.
    "certification:batch_progress": Rule(STAFF, kwargs=lambda w: {"batch_id": 999999}, unchecked=STAFF),
    "certification:issue": Rule(STAFF, kwargs=lambda w: {"enrolment_id": w.enrolment.pk}, method="POST"),
    "certification:pdf": Rule(STAFF, kwargs=lambda w: {"certificate_id": 999999}, unchecked=STAFF),
    "certification:attestation_pdf": Rule(STAFF, kwargs=lambda w: {"certificate_id": 999999}, unchecked=STAFF),
    "certification:correct": Rule(STAFF, kwargs=lambda w: {"certificate_id": 999999}, method="POST", unchecked=STAFF),
    "certification:revoke": Rule(STAFF, kwargs=lambda w: {"certificate_id": 999999}, method="POST", unchecked=STAFF),
}

FORGED_TOKEN = "eyJmb3JnZWQiOnRydWV9:1vPQZb:forged-signature"


_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def admin_kwargs(route: str) -> dict:
    """Arguments for an admin route: "auth" for an app label, a non-existent id for anything else."""
    return {m["name"]: ("auth" if m["name"] == "app_label" else "999999") for m in _PARAM.finditer(route)}


def route_url(route: str) -> str:
    """A URL for an unnamed route: each argument a non-existent id, a regex tail a made-up path."""
    url = _PARAM.sub("999999", route)
    if "(?P<url>.*)$" in url:
        url = url.replace("(?P<url>.*)$", "no-such-page/")
    return "/" + url.lstrip("^")


def walk_patterns(resolver=None, namespace=None, prefix=""):
    """Yield ``(key, route, pattern_name)`` for every URL pattern; ``key`` classifies it in the matrix."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            child_ns = "%s:%s" % (namespace, ns) if namespace and ns else (ns or namespace)
            yield from walk_patterns(pattern, child_ns, prefix + str(pattern.pattern))
        else:
            route = prefix + str(pattern.pattern)
            if pattern.name:
                name = "%s:%s" % (namespace, pattern.name) if namespace else pattern.name
                yield name, route, name
            else:
                yield "route:%s" % route, route, None


@dataclass
class World:
    """Objects owned by nobody among the non-staff test users, and one user per role."""

    course: object
    course_session: object
    booking: object
    enrolment: object
    lead: object
    audit_entry: object
    outbound_email: object
    open_session: object
    slot: object
    client_organisation: object
    users: dict


def build_world() -> World:
    cache.clear()
    TrainingOrganisationFactory()
    other_organisation = ClientOrganisationFactory(name="Autre Société")
    course = CourseFactory()
    course_session = CourseSessionFactory(course=course, client_organisation=other_organisation)
    slots = add_day(course_session, datetime.date(2027, 3, 30))
    course_session.trainers.add(TrainerFactory())
    booking = BookingFactory(course_session=course_session, client_organisation=other_organisation)
    enrolment = EnrolmentFactory(booking=booking, email="autre.stagiaire@exemple.fr")
    users = {
        ANONYMOUS: None,
        TRAINEE: trainee_user(email="moi.stagiaire@exemple.fr"),
        CLIENT_CONTACT: client_contact_user(),
        TRAINER: trainer_user(),
        STAFF_WITHOUT_ROLE: UserFactory(username="staff-without-role", is_staff=True),
        STAFF_PLANNER: staff_planner(),
        STAFF_ADMIN: staff_admin(),
    }
    UserFactory(username="someone-else")
    return World(
        course=course,
        course_session=course_session,
        booking=booking,
        enrolment=enrolment,
        lead=LeadFactory(course=course),
        audit_entry=AuditLogEntry.objects.create(action="view", object_type="x.y"),
        outbound_email=OutboundEmailFactory(to=[enrolment.email], subject="Convocation"),
        open_session=CourseSessionFactory(course=course),
        slot=slots[0],
        client_organisation=other_organisation,
        users=users,
    )


def rule_for(matrix: dict, key: str) -> Rule | None:
    """The rule classifying ``key``: by name, else the admin wildcard for admin pages, else None."""
    if key in matrix:
        return matrix[key]
    if key.startswith("admin:") or key.startswith("route:admin/"):
        return matrix.get("admin:*")
    return None


def url_for(matrix: dict, key: str, route: str, name: str | None, world) -> str:
    """The URL to request for a pattern, with the arguments its rule builds from ``world``."""
    from django.urls import reverse

    if name is None:
        return route_url(route)
    rule = rule_for(matrix, key)
    return reverse(name, kwargs=rule.kwargs(world) if key in matrix else admin_kwargs(route))


def stale_keys(matrix: dict, keys: set[str]) -> list[str]:
    """Matrix entries naming a URL that does not exist, in a namespace that has URLs.

    Entries of a namespace without any URL yet are classifications written ahead for pages being
    built; they are checked as soon as the namespace has URLs.
    """
    namespaces = {k.split(":", 1)[0] for k in keys if ":" in k}
    return sorted(
        k for k in matrix if k != "admin:*" and k not in keys and (":" not in k or k.split(":", 1)[0] in namespaces)
    )


def full_matrix() -> dict[str, Rule]:
    """This module's MATRIX merged with every ``tests/<app>/roles.py`` MATRIX."""
    merged = dict(MATRIX)
    tests_dir = Path(__file__).resolve().parents[1]
    for info in pkgutil.iter_modules([str(tests_dir)]):
        if not info.ispkg or not (tests_dir / info.name / "roles.py").exists():
            continue
        module = importlib.import_module("tests.%s.roles" % info.name)
        merged.update(getattr(module, "MATRIX", {}))
    return merged
