"""Every role against every URL of the project: refusal wherever the role has no right.

URLs are found by walking ``get_resolver()``, so a new page is tested as soon as it exists, and
a page nobody classified fails ``test_every_url_pattern_is_classified``. Runs on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from . import role_matrix as rm

ALL_PATTERNS = list(rm.walk_patterns())
MATRIX = rm.full_matrix()


def rule_for(key: str) -> rm.Rule | None:
    return rm.rule_for(MATRIX, key)


@pytest.fixture
def world(db):
    return rm.build_world()


LOGIN_PATHS = ("/admin/login/",)
#: Django's admin sends a staff account asking for an unknown object back to the admin index: the
#: index is all a staff account without a role may see, so being sent there is a refusal.
ADMIN_INDEX_PATH = "/admin/"


def is_refused(response, rule=None) -> bool:
    """403, 404, a redirect to a log-in page, or the rule's own refusal page."""
    if rule is not None and rule.refused_when is not None and rule.refused_when(response):
        return True
    if response.status_code in (403, 404):
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        login_url = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
        return any(location.split("?")[0].endswith(p) for p in (*LOGIN_PATHS, login_url))
    return False


def refused_within_the_admin(response) -> bool:
    """True when the answer, followed through at most three redirects, is a refusal or the admin index."""
    for _hop in range(3):
        if is_refused(response):
            return True
        if response.status_code not in (301, 302):
            return False
        if response["Location"].split("?")[0] == ADMIN_INDEX_PATH:
            return True
        response = response.client.get(response["Location"])
    return False


def url_for(key, route, name, world) -> str:
    return rm.url_for(MATRIX, key, route, name, world)


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
        "Classify these URLs in tests/accounts/role_matrix.py or tests/<app>/roles.py: %s" % unclassified
    )


def test_the_matrix_names_no_url_that_does_not_exist():
    keys = {key for key, _route, _name in ALL_PATTERNS}
    stale = rm.stale_keys(MATRIX, keys)
    assert not stale, "The role matrix lists URLs that no longer exist: %s" % stale


@pytest.mark.parametrize("key,route,name", ALL_PATTERNS, ids=[p[0] for p in ALL_PATTERNS])
def test_role_matrix(world, key, route, name):
    rule = rule_for(key)
    if rule is None:
        pytest.fail("unclassified URL %s (%s)" % (key, route))
    url = url_for(key, route, name, world)
    problems = []
    for role in rm.ROLES:
        if role in rule.unchecked:
            continue
        response = request_as(role, world, url, rule)
        if response.status_code >= 500:
            problems.append("%s got %s" % (role, response.status_code))
        elif role in rule.allowed and is_refused(response, rule):
            problems.append("%s should get through but got %s" % (role, response.status_code))
        elif role not in rule.allowed and not (
            is_refused(response, rule) or (role == rm.STAFF_WITHOUT_ROLE and refused_within_the_admin(response))
        ):
            problems.append("%s should be refused but got %s" % (role, response.status_code))
    assert not problems, "%s (%s): %s" % (key, url, "; ".join(problems))
