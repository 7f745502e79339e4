"""Fifty parallel bookings through the API on PostgreSQL: confirmed never exceed capacity (FC-01).

Real threads, each with its own connection and transaction, sending the HTTP request through
Django's whole stack (token, throttle, forms, ``enrol`` with its session row lock).
"""

from __future__ import annotations

import pytest

from academy.api.models import ApiToken
from academy.enrolment.models import Enrolment
from tests.enrolment.helpers import open_session
from tests.enrolment.test_concurrency import CapacityWatch, run_in_parallel
from tests.factories.api import api_token

from .conftest import ApiClient
from .helpers import booking_body

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 50
CAPACITY = 12


def test_fifty_parallel_api_bookings_confirm_at_most_the_capacity(require_postgresql):
    course_session = open_session(capacity_seats=CAPACITY)
    raw = api_token(ApiToken.Scope.PLANNER)[1]

    def book(n: int):
        body = booking_body(course_session, ("Zoë", "Núñez %d" % n, "trainee%d@exemple.fr" % n))
        return ApiClient(raw).post("/api/v1/bookings/", body).status_code

    with CapacityWatch(course_session) as watch:
        results = run_in_parallel([lambda n=n: book(n) for n in range(PEOPLE)])

    assert results == [201] * PEOPLE
    statuses = list(course_session.enrolments.order_by("pk").values_list("status", flat=True))
    assert statuses.count(Enrolment.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Enrolment.Status.WAITING) == PEOPLE - CAPACITY
    assert watch.maximum <= CAPACITY
    course_session.refresh_from_db()
    assert course_session.status == "full"


def test_the_same_person_booked_twice_at_once_through_the_api_is_enrolled_once(require_postgresql):
    course_session = open_session()
    raw = api_token(ApiToken.Scope.PLANNER)[1]
    person = ("Zoë", "Núñez", "zoe@exemple.fr")

    def book():
        return ApiClient(raw).post("/api/v1/bookings/", booking_body(course_session, person)).status_code

    results = run_in_parallel([book for _ in range(6)])

    assert sorted(results) == [201] + [400] * 5
    assert course_session.enrolments.count() == 1
