"""A session the user does not run answers exactly like a session that does not exist (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from academy.core.models import AuditLogEntry
from tests.attendance.helpers import trainee, two_day_session
from tests.factories.privacy import trainer_user

pytestmark = pytest.mark.django_db

UNKNOWN = 987654

SESSION_PAGES = [
    ("attendance:session", "session_id", "GET"),
    ("attendance:sheet_pdf", "session_id", "GET"),
    ("evaluation:session_opening", "pk", "GET"),
    ("evaluation:session_opening_print", "pk", "GET"),
    ("evaluation:report", "pk", "GET"),
]
SLOT_PAGES = [
    ("attendance:slot", "GET"),
    ("attendance:qr", "GET"),
    ("attendance:kiosk", "GET"),
    ("attendance:countersign", "POST"),
    ("attendance:send_links", "POST"),
    ("attendance:set_status", "POST"),
]


@pytest.fixture
def foreign():
    """A session run by someone else, and a signed-in trainer of another session."""
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    user = trainer_user()
    own, _own_trainer, _own_slots = two_day_session()
    own.trainers.add(user.trainer)
    client = Client()
    client.force_login(user)
    return client, session, slots[0], enrolment


def _request(client, method, url, data=None):
    return client.post(url, data or {}) if method == "POST" else client.get(url)


@pytest.mark.parametrize("name,kwarg,method", SESSION_PAGES, ids=[p[0] for p in SESSION_PAGES])
def test_a_foreign_session_page_answers_like_an_unknown_one(foreign, name, kwarg, method):
    client, session, _slot, _enrolment = foreign
    theirs = _request(client, method, reverse(name, kwargs={kwarg: session.pk}))
    unknown = _request(client, method, reverse(name, kwargs={kwarg: UNKNOWN}))
    assert theirs.status_code == unknown.status_code == 404


@pytest.mark.parametrize("name,method", SLOT_PAGES, ids=[p[0] for p in SLOT_PAGES])
def test_a_foreign_half_day_page_answers_like_an_unknown_one(foreign, name, method):
    client, _session, slot, enrolment = foreign
    data = {"enrolment": enrolment.pk, "status": "present"}
    theirs = _request(client, method, reverse(name, kwargs={"slot_id": slot.pk}), data)
    unknown = _request(client, method, reverse(name, kwargs={"slot_id": UNKNOWN}), data)
    assert theirs.status_code == unknown.status_code == 404


def test_a_foreign_opening_record_answers_like_an_unknown_one(foreign):
    client, session, _slot, enrolment = foreign
    url = reverse("evaluation:session_opening_record", kwargs={"pk": session.pk, "enrolment_pk": enrolment.pk})
    unknown = reverse("evaluation:session_opening_record", kwargs={"pk": UNKNOWN, "enrolment_pk": enrolment.pk})
    assert client.get(url).status_code == client.get(unknown).status_code == 404


def test_the_404_page_of_a_foreign_session_says_no_more_than_for_an_unknown_one(foreign):
    client, session, _slot, _enrolment = foreign
    theirs_url = reverse("evaluation:report", kwargs={"pk": session.pk})
    unknown_url = reverse("evaluation:report", kwargs={"pk": UNKNOWN})
    theirs = client.get(theirs_url).content.decode()
    unknown = client.get(unknown_url).content.decode()
    assert theirs.replace(theirs_url, "URL") == unknown.replace(unknown_url, "URL")


def test_a_look_at_a_foreign_session_is_still_written_to_the_audit_log(foreign):
    client, session, _slot, _enrolment = foreign
    client.get(reverse("attendance:session", kwargs={"session_id": session.pk}))
    client.get(reverse("attendance:session", kwargs={"session_id": UNKNOWN}))
    refusals = AuditLogEntry.objects.filter(action="refuse", summary="not a trainer of this session")
    assert [entry.object_id for entry in refusals] == [str(session.pk)]
