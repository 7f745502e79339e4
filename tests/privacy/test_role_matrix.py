"""Every role against every URL of the project: refusal wherever the role has no right.

URLs are found by walking ``get_resolver()``, so a new page is tested as soon as it exists, and
a page nobody classified fails ``test_every_url_pattern_is_classified``. Runs on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from academy.core.models import AuditLogEntry
from tests.factories.catalog import CourseFactory
from tests.factories.core import ClientOrganisationFactory, TrainingOrganisationFactory
from tests.factories.enrolment import BookingFactory, EnrolmentFactory
from tests.factories.privacy import (
    LeadFactory,
    UserFactory,
    client_contact_user,
    staff_admin,
    staff_planner,
    trainee_user,
    trainer_user,
)
from tests.factories.scheduling import CourseSessionFactory, TrainerFactory, add_day

from . import role_matrix as rm


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


ALL_PATTERNS = list(walk_patterns())
MATRIX = rm.full_matrix()


def rule_for(key: str) -> rm.Rule | None:
    if key in MATRIX:
        return MATRIX[key]
    if key.startswith("admin:") or key.startswith("route:admin/"):
        return MATRIX.get("admin:*")
    return None


@dataclass
class World:
    """Objects owned by nobody among the non-staff test users, and one user per role."""

    course: object
    course_session: object
    booking: object
    enrolment: object
    lead: object
    audit_entry: object
    client_organisation: object
    users: dict


@pytest.fixture
def world(db):
    cache.clear()
    TrainingOrganisationFactory()
    other_organisation = ClientOrganisationFactory(name="Autre Société")
    course = CourseFactory()
    course_session = CourseSessionFactory(course=course, client_organisation=other_organisation)
    add_day(course_session, __import__("datetime").date(2027, 3, 30))
    course_session.trainers.add(TrainerFactory())
    booking = BookingFactory(course_session=course_session, client_organisation=other_organisation)
    enrolment = EnrolmentFactory(booking=booking, email="autre.stagiaire@exemple.fr")
    users = {
        rm.ANONYMOUS: None,
        rm.TRAINEE: trainee_user(email="moi.stagiaire@exemple.fr"),
        rm.CLIENT_CONTACT: client_contact_user(),
        rm.TRAINER: trainer_user(),
        rm.STAFF_PLANNER: staff_planner(),
        rm.STAFF_ADMIN: staff_admin(),
    }
    UserFactory(username="someone-else")
    return World(
        course=course, course_session=course_session, booking=booking, enrolment=enrolment,
        lead=LeadFactory(course=course), audit_entry=AuditLogEntry.objects.create(action="view", object_type="x.y"),
        client_organisation=other_organisation, users=users,
    )


LOGIN_PATHS = ("/admin/login/",)


def is_refused(response) -> bool:
    """403, 404, or a redirect to a log-in page."""
    if response.status_code in (403, 404):
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        login_url = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
        return any(location.split("?")[0].endswith(p) for p in (*LOGIN_PATHS, login_url))
    return False


def request_as(role, world, url, rule):
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    if rule.method == "POST":
        return client.post(url, rule.data(world))
    return client.get(url)


def test_every_url_pattern_is_classified():
    unclassified = sorted(key for key, _route, _name in ALL_PATTERNS if rule_for(key) is None)
    assert not unclassified, (
        "Classify these URLs in tests/privacy/role_matrix.py or tests/<app>/roles.py: %s" % unclassified
    )


def test_the_matrix_names_no_url_that_does_not_exist():
    keys = {key for key, _route, _name in ALL_PATTERNS}
    stale = sorted(k for k in MATRIX if k != "admin:*" and k not in keys)
    assert not stale, "The role matrix lists URLs that no longer exist: %s" % stale


@pytest.mark.parametrize("key,route,name", ALL_PATTERNS, ids=[p[0] for p in ALL_PATTERNS])
def test_role_matrix(world, key, route, name):
    rule = rule_for(key)
    if rule is None:
        pytest.fail("unclassified URL %s (%s)" % (key, route))
    if name is None:
        url = rm.route_url(route)
    else:
        url = reverse(name, kwargs=rule.kwargs(world) if key in MATRIX else rm.admin_kwargs(route))
    problems = []
    for role in rm.ROLES:
        if role in rule.unchecked:
            continue
        response = request_as(role, world, url, rule)
        if response.status_code >= 500:
            problems.append("%s got %s" % (role, response.status_code))
        elif role in rule.allowed and is_refused(response):
            problems.append("%s should get through but got %s" % (role, response.status_code))
        elif role not in rule.allowed and not is_refused(response):
            problems.append("%s should be refused but got %s" % (role, response.status_code))
    assert not problems, "%s (%s): %s" % (key, url, "; ".join(problems))
