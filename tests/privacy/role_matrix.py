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
import re
import pkgutil
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
ROLES = [ANONYMOUS, TRAINEE, CLIENT_CONTACT, TRAINER, STAFF_PLANNER, STAFF_ADMIN]

EVERYONE = frozenset(ROLES)
STAFF = frozenset({STAFF_PLANNER, STAFF_ADMIN})
ADMINS = frozenset({STAFF_ADMIN})
NOBODY = frozenset()


@dataclass(frozen=True)
class Rule:
    """How to request a URL, and who may get through.

    ``kwargs(world)`` and ``data(world)`` build the URL arguments and the POST body from the
    test world (``tests/privacy/test_role_matrix.World``).
    """

    allowed: frozenset
    kwargs: Callable[[object], dict] = lambda world: {}
    method: str = "GET"
    data: Callable[[object], dict] = lambda world: {}
    unchecked: frozenset = frozenset()


def _person_token(world) -> dict:
    from academy.core import tokens
    from academy.privacy.views import PERSON_TOKEN_PURPOSE

    return {"token": tokens.make_token(PERSON_TOKEN_PURPOSE, world.enrolment.email)}


MATRIX: dict[str, Rule] = {
    # Django's own
    "set_language": Rule(EVERYONE, method="POST", data=lambda w: {"language": "en", "next": "/"}),
    "admin:*": Rule(NOBODY, kwargs=lambda w: {}, unchecked=STAFF),
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
    # catalogue (public)
    "catalog:course_list": Rule(EVERYONE),
    "catalog:course_detail": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:programme_pdf": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:quote_request": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:customisation_request": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:interest_signal": Rule(EVERYONE, kwargs=lambda w: {"code": w.course.code}),
    "catalog:contact": Rule(EVERYONE),
    "catalog:sitemap": Rule(EVERYONE),
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
    "privacy:person_erase": Rule(ADMINS, kwargs=_person_token, method="POST", data=lambda w: {"confirm_email": "x@y.fr"}),
    "privacy:two_factor": Rule(STAFF),
}


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
    client_organisation: object
    users: dict


def build_world() -> World:
    cache.clear()
    TrainingOrganisationFactory()
    other_organisation = ClientOrganisationFactory(name="Autre Société")
    course = CourseFactory()
    course_session = CourseSessionFactory(course=course, client_organisation=other_organisation)
    add_day(course_session, datetime.date(2027, 3, 30))
    course_session.trainers.add(TrainerFactory())
    booking = BookingFactory(course_session=course_session, client_organisation=other_organisation)
    enrolment = EnrolmentFactory(booking=booking, email="autre.stagiaire@exemple.fr")
    users = {
        ANONYMOUS: None,
        TRAINEE: trainee_user(email="moi.stagiaire@exemple.fr"),
        CLIENT_CONTACT: client_contact_user(),
        TRAINER: trainer_user(),
        STAFF_PLANNER: staff_planner(),
        STAFF_ADMIN: staff_admin(),
    }
    UserFactory(username="someone-else")
    return World(
        course=course, course_session=course_session, booking=booking, enrolment=enrolment,
        lead=LeadFactory(course=course), audit_entry=AuditLogEntry.objects.create(action="view", object_type="x.y"),
        outbound_email=OutboundEmailFactory(to=[enrolment.email], subject="Convocation"),
        client_organisation=other_organisation, users=users,
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
