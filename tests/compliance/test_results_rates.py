"""Indicator 2: completion, drop-out and objective-achievement rates on the public results page."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.enrolment.services.quality import record_dropout
from academy.evaluation.reports import organisation_indicators
from academy.evaluation.services import submit_response
from tests.english_messages import _english_messages  # noqa: E402, F401 (autouse fixture)
from tests.factories.catalog import LearningObjectiveFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import positioning_answers, session_with_slot

pytestmark = pytest.mark.django_db


def by_code():
    return {indicator.code: indicator for indicator in organisation_indicators()}


def test_a_period_with_no_data_says_so_instead_of_zero_percent():
    rates = by_code()
    for code in ("completion_rate", "dropout_rate", "objective_achievement_rate"):
        assert rates[code].value is None and rates[code].no_data
        assert "No data for this period." in rates[code].note
    payload = json.loads(Client().get(reverse("evaluation:indicators_export", kwargs={"fmt": "json"})).content)
    completion = next(i for i in payload["indicators"] if i["code"] == "completion_rate")
    assert completion["value"] is None and completion["no_data"] is True
    assert "5" in payload["rounding_rule"]
    page = Client().get(reverse("evaluation:indicators")).content.decode()
    assert "no data" in page and "rounded half-up" in page


def test_rates_count_drop_outs_and_objectives_reached_over_ended_sessions(settings):
    settings.RESULTS_MIN_COUNT = 3
    session = session_with_slot(starts_at=timezone.now() - datetime.timedelta(days=3))
    LearningObjectiveFactory.create_batch(2, course=session.course)
    enrolments = [EnrolmentFactory(booking__course_session=session) for _ in range(4)]
    record_dropout(enrolment=enrolments[0], reason="work")
    for enrolment, level in zip(enrolments[1:], (4, 3, 1), strict=True):
        submit_response(
            enrolment=enrolment,
            kind="positioning_after",
            answers=positioning_answers(enrolment, "positioning_after", level=level),
            enforce_window=False,
        )
    rates = by_code()
    assert rates["dropout_rate"].value == 25 and rates["dropout_rate"].sample_size == 4
    assert rates["completion_rate"].value == 75
    objectives = session.course.objectives.count()
    assert rates["objective_achievement_rate"].sample_size == 3 * objectives
    assert rates["objective_achievement_rate"].value == 67  # 2 of 3 trainees at level 3 or more, half-up


def test_a_rate_on_too_few_cases_is_withheld_with_the_minimum_stated(settings):
    settings.RESULTS_MIN_COUNT = 5
    session = session_with_slot(starts_at=timezone.now() - datetime.timedelta(days=3))
    EnrolmentFactory(booking__course_session=session)
    rate = by_code()["completion_rate"]
    assert rate.value is None and rate.sample_size == 1
    assert "fewer than 5 cases" in rate.note
