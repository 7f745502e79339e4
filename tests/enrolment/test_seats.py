import datetime

import pytest
from django.utils import translation

from academy.enrolment.seats import capacity_errors, fill_rate_pct, seats_left, seats_taken, with_seat_counts
from academy.scheduling.capacity import capacity_errors as scheduling_capacity_errors
from academy.scheduling.models import CourseSession
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import session_with_days

pytestmark = pytest.mark.django_db


def test_seats_left_counts_confirmed_and_offered_but_not_waiting_or_cancelled():
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=5)
    for status in ("confirmed", "offered", "waiting", "cancelled"):
        EnrolmentFactory(booking__course_session=course_session, status=status)

    assert seats_taken(course_session) == 2
    assert seats_left(course_session) == 3


def test_seats_left_uses_the_annotation_without_a_query(django_assert_num_queries):
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=5)
    EnrolmentFactory(booking__course_session=course_session)
    annotated = with_seat_counts(CourseSession.objects.all()).get(pk=course_session.pk)

    with django_assert_num_queries(0):
        assert seats_left(annotated) == 4


def test_the_fill_rate_counts_seats_held_and_never_exceeds_one_hundred_percent():
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=3)
    for status in ("confirmed", "offered", "waiting"):
        EnrolmentFactory(booking__course_session=course_session, status=status)

    assert fill_rate_pct(course_session) == 67
    EnrolmentFactory(booking__course_session=course_session)
    EnrolmentFactory(booking__course_session=course_session)
    assert fill_rate_pct(course_session) == 100


def test_the_capacity_check_registered_with_scheduling_names_the_seats_already_taken():
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=5)
    for status in ("confirmed", "offered", "waiting"):
        EnrolmentFactory(booking__course_session=course_session, status=status)
    course_session.capacity_seats = 1

    with translation.override("en"):
        assert capacity_errors(course_session) == {
            "capacity_seats": "2 seats are already taken (confirmed or offered): the capacity cannot be lower."
        }
    with translation.override("fr"):
        assert capacity_errors(course_session)["capacity_seats"] == (
            "2 places sont déjà prises (confirmées ou proposées) : la capacité ne peut pas être inférieure."
        )
    assert scheduling_capacity_errors(course_session) == capacity_errors(course_session)
    course_session.capacity_seats = 2
    assert scheduling_capacity_errors(course_session) == {}
