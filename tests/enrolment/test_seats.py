import datetime

import pytest

from academy.enrolment.seats import seats_left, seats_taken, with_seat_counts
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
