"""The course page's schema.org data: offers and one CourseInstance per upcoming open session."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from pyld import jsonld

from academy.scheduling.models import CourseSession
from tests.factories.scheduling import CourseSessionFactory, add_day

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"


def _schema_org_loader(url, options=None):
    """Offline document loader: schema.org's context maps every term to https://schema.org/."""
    if url.rstrip("/") in {"https://schema.org", "http://schema.org"}:
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": SCHEMA}}}
    raise ValueError("no network in tests: %s" % url)


def _course_node(client, course) -> dict:
    html = client.get(course.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    flat = jsonld.flatten(json.loads(blocks[0]), None, {"documentLoader": _schema_org_loader})
    nodes = {node["@id"]: node for node in flat}
    (course_node,) = [n for n in flat if n.get("@type") == [SCHEMA + "Course"]]
    return course_node, nodes


def _value(node, term):
    return node[SCHEMA + term][0].get("@value")


def _linked(nodes, node, term) -> list[dict]:
    return [nodes[ref["@id"]] for ref in node.get(SCHEMA + term, [])]


@pytest.fixture
def sessions(seed_course):
    today = datetime.date.today()
    on_site = CourseSessionFactory(course=seed_course, price_excl_vat="950.00")
    add_day(on_site, today + datetime.timedelta(days=20))
    add_day(on_site, today + datetime.timedelta(days=21))
    online = CourseSessionFactory(
        course=seed_course, venue_address="", remote_url="https://visio.exemple/secret", price_excl_vat="800.00"
    )
    add_day(online, today + datetime.timedelta(days=40))
    closed = CourseSessionFactory(course=seed_course, status=CourseSession.Status.CLOSED)
    add_day(closed, today + datetime.timedelta(days=50))
    return on_site, online


def test_course_page_json_ld_has_an_instance_and_an_offer_for_each_upcoming_session(client, seed_course, sessions):
    on_site, online = sessions
    course, nodes = _course_node(client, seed_course)
    instances = _linked(nodes, course, "hasCourseInstance")
    assert [_value(i, "courseMode") for i in instances] == ["Onsite", "Online"]
    assert [_value(i, "startDate") for i in instances] == [
        s.starts_at.astimezone(s.tzinfo).isoformat() for s in (on_site, online)
    ]
    assert [_value(i, "endDate") for i in instances] == [
        s.ends_at.astimezone(s.tzinfo).isoformat() for s in (on_site, online)
    ]
    schedules = [_linked(nodes, i, "courseSchedule")[0] for i in instances]
    assert [_value(s, "repeatCount") for s in schedules] == [2, 1]
    assert [_value(s, "duration") for s in schedules] == ["PT14H", "PT7H"]
    locations = [_linked(nodes, i, "location")[0] for i in instances]
    assert locations[0]["@type"] == [SCHEMA + "Place"]
    assert "75002 Paris" in _value(locations[0], "address")
    assert locations[1]["@type"] == [SCHEMA + "VirtualLocation"]
    offers = [_linked(nodes, i, "offers")[0] for i in instances]
    assert [_value(o, "price") for o in offers] == ["1140.00", "960.00"]
    assert {_value(o, "priceCurrency") for o in offers} == {"EUR"}
    course_offers = _linked(nodes, course, "offers")
    assert sorted(_value(o, "price") for o in course_offers) == ["1140.00", "960.00"]
    # The meeting link is for enrolled trainees only.
    assert "visio.exemple/secret" not in json.dumps(list(nodes.values()))


def test_a_course_without_upcoming_session_has_no_instance(client, seed_course):
    course, _nodes = _course_node(client, seed_course)
    assert SCHEMA + "hasCourseInstance" not in course
