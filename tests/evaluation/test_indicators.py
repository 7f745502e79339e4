"""Public indicators (Qualiopi indicator 2) count only what has happened and what is due."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.evaluation.models import Response
from academy.evaluation.reports import organisation_indicators
from academy.evaluation.services import current_questionnaire
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import session_with_slot

pytestmark = pytest.mark.django_db


def _session(seed_course, *, ended_ago: datetime.timedelta, trainees: int):
    """A one-slot session of 3 h 30 whose end is ``ended_ago`` before now (negative: still to come)."""
    now = timezone.now()
    course_session = session_with_slot(
        course=seed_course, starts_at=now - ended_ago - datetime.timedelta(hours=3, minutes=30)
    )
    enrolments = [EnrolmentFactory(booking__course_session=course_session) for _ in range(trainees)]
    return course_session, enrolments


def _answer(enrolment, kind: str) -> None:
    Response.objects.create(
        questionnaire=current_questionnaire(course=enrolment.course_session.course, kind=kind),
        kind=kind,
        course_session=enrolment.course_session,
        enrolment=enrolment,
        submitted_at=timezone.now(),
    )


def _by_code():
    return {indicator.code: indicator for indicator in organisation_indicators()}


def test_a_session_still_running_is_not_counted_as_ended(seed_course):
    # Started two hours ago, its only half-day ends in an hour and a half.
    _session(seed_course, ended_ago=-datetime.timedelta(hours=1, minutes=30), trainees=3)

    indicators = _by_code()

    assert indicators["trainees"].value == 0
    assert indicators["response_rate_end_of_course"].value is None


def test_a_session_counts_as_ended_once_its_last_half_day_has_ended(seed_course):
    course_session, _ = _session(seed_course, ended_ago=-datetime.timedelta(hours=1), trainees=3)
    last_end = course_session.slots.get().ends_at

    before = {i.code: i for i in organisation_indicators(now=last_end - datetime.timedelta(minutes=1))}
    after = {i.code: i for i in organisation_indicators(now=last_end)}

    assert before["trainees"].value == 0
    assert after["trainees"].value == 3


def test_follow_up_response_rate_is_not_yet_due_rather_than_zero(client, seed_course):
    _session(seed_course, ended_ago=datetime.timedelta(days=1), trainees=2)

    follow_up = _by_code()["response_rate_follow_up"]
    response = client.get(reverse("evaluation:indicators"))

    assert (follow_up.value, follow_up.sample_size, follow_up.not_due) == (None, 0, True)
    content = " ".join(response.content.decode().split())
    assert "pas encore dû" in content
    assert "Pas encore dû : envoyé 60 jours après la fin d’une session." in content


def test_follow_up_response_rate_counts_only_sessions_whose_follow_up_is_due(seed_course):
    _due_session, due = _session(seed_course, ended_ago=datetime.timedelta(days=70), trainees=2)
    _recent, recent = _session(seed_course, ended_ago=datetime.timedelta(days=1), trainees=3)
    _answer(due[0], "follow_up")
    for enrolment in due + recent[:1]:
        _answer(enrolment, "end_of_course")

    indicators = _by_code()

    follow_up = indicators["response_rate_follow_up"]
    assert (follow_up.value, follow_up.sample_size, follow_up.not_due) == (Decimal("50"), 2, False)
    end_of_course = indicators["response_rate_end_of_course"]
    assert (end_of_course.value, end_of_course.sample_size) == (Decimal("60"), 5)
    assert indicators["trainees"].value == 5


def test_the_open_data_says_when_a_rate_is_not_yet_due(client, seed_course):
    _session(seed_course, ended_ago=datetime.timedelta(days=1), trainees=2)

    payload = client.get(reverse("evaluation:indicators_export", kwargs={"fmt": "json"})).json()

    follow_up = {i["code"]: i for i in payload["indicators"]}["response_rate_follow_up"]
    assert (follow_up["value"], follow_up["not_yet_due"]) == (None, True)
