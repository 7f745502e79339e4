import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from academy.scheduling.exceptions import LocalTimeInvalid, NoSlotsToCopy
from academy.scheduling.models import CourseSession
from academy.scheduling.services import (
    copy_course_session,
    copy_day,
    local_datetime,
    local_time_problem,
    shift_local,
)
from tests.factories.scheduling import CourseSessionFactory, TrainerFactory, paris, session_with_days

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in the source language here; translated pages are tested in test_views."""
    with translation.override("en"):
        yield


def local_times(course_session):
    return [
        (s.starts_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M"), s.ends_at.astimezone(PARIS).strftime("%H:%M"))
        for s in course_session.slots.order_by("starts_at")
    ]


@pytest.mark.django_db
def test_fc03_copying_day_one_across_the_march_clock_change_keeps_09_00_and_14_00_paris():
    course_session = session_with_days(datetime.date(2026, 3, 27))

    copy_day(course_session=course_session, from_day=datetime.date(2026, 3, 27), to_day=datetime.date(2026, 3, 30))

    assert local_times(course_session) == [
        ("2026-03-27 09:00", "12:30"),
        ("2026-03-27 14:00", "17:30"),
        ("2026-03-30 09:00", "12:30"),
        ("2026-03-30 14:00", "17:30"),
    ]
    starts_utc = [s.starts_at.astimezone(UTC).hour for s in course_session.slots.order_by("starts_at")]
    assert starts_utc == [8, 13, 7, 12]  # UTC+1 before the change, UTC+2 after


@pytest.mark.django_db
def test_fc03_copying_day_one_across_the_october_clock_change_keeps_09_00_and_14_00_paris():
    course_session = session_with_days(datetime.date(2026, 10, 23))

    copy_day(course_session=course_session, from_day=datetime.date(2026, 10, 23), to_day=datetime.date(2026, 10, 26))

    assert local_times(course_session)[2:] == [("2026-10-26 09:00", "12:30"), ("2026-10-26 14:00", "17:30")]
    assert [s.starts_at.astimezone(UTC).hour for s in course_session.slots.order_by("starts_at")] == [7, 12, 8, 13]


@pytest.mark.django_db
def test_fc03_morning_and_afternoon_are_decided_in_local_time_after_the_copy():
    course_session = session_with_days(datetime.date(2026, 3, 27))
    copy_day(course_session=course_session, from_day=datetime.date(2026, 3, 27), to_day=datetime.date(2026, 3, 30))

    assert [s.is_morning for s in course_session.slots.order_by("starts_at")] == [True, False, True, False]


@pytest.mark.django_db
def test_copying_a_session_to_new_dates_keeps_local_times_trainers_and_day_offsets():
    trainer = TrainerFactory()
    source = session_with_days(
        datetime.date(2026, 3, 27),
        datetime.date(2026, 3, 30),
        capacity_seats=8,
        enrolment_deadline=datetime.date(2026, 3, 20),
    )
    source.trainers.add(trainer)

    copy = copy_course_session(course_session=source, first_day=datetime.date(2026, 10, 23))

    assert copy.pk != source.pk
    assert copy.status == "draft"
    assert copy.capacity_seats == 8
    assert list(copy.trainers.all()) == [trainer]
    assert copy.enrolment_deadline == datetime.date(2026, 10, 16)
    assert local_times(copy) == [
        ("2026-10-23 09:00", "12:30"),
        ("2026-10-23 14:00", "17:30"),
        ("2026-10-26 09:00", "12:30"),
        ("2026-10-26 14:00", "17:30"),
    ]
    assert source.slots.count() == 4


@pytest.mark.django_db
def test_copying_a_session_without_slots_is_refused_with_a_message():
    with pytest.raises(NoSlotsToCopy, match="no half-day slot"):
        copy_course_session(course_session=CourseSessionFactory(), first_day=datetime.date(2027, 1, 4))


@pytest.mark.django_db
def test_copying_a_day_without_slots_is_refused_with_a_message():
    course_session = session_with_days(datetime.date(2026, 3, 27))
    with pytest.raises(NoSlotsToCopy, match="2026-03-28"):
        copy_day(course_session=course_session, from_day=datetime.date(2026, 3, 28), to_day=datetime.date(2026, 3, 30))


def test_a_local_time_skipped_by_the_spring_change_resolves_forward():
    moment = local_datetime(datetime.date(2026, 3, 29), datetime.time(2, 30), PARIS)
    assert moment.astimezone(PARIS).strftime("%H:%M") == "03:30"


def test_shifting_by_days_keeps_the_wall_clock_time_not_the_duration():
    shifted = shift_local(paris(2026, 3, 27, 9), days=3, tz=PARIS)
    assert shifted.astimezone(PARIS).hour == 9
    assert shifted.astimezone(UTC) - paris(2026, 3, 27, 9).astimezone(UTC) == datetime.timedelta(hours=71)


@pytest.mark.django_db
def test_fc03_copying_a_half_day_onto_a_time_skipped_by_the_spring_change_is_refused_and_nothing_is_created():
    course_session = session_with_days(datetime.date(2027, 3, 21))
    slot = course_session.slots.order_by("starts_at").first()
    slot.starts_at = paris(2027, 3, 21, 2, 30)
    slot.ends_at = paris(2027, 3, 21, 4)
    slot.save()
    before = CourseSession.objects.count()
    slots_before = course_session.slots.count()

    with pytest.raises(LocalTimeInvalid, match="02:30 does not exist on 2027-03-28 in Europe/Paris"):
        copy_course_session(course_session=course_session, first_day=datetime.date(2027, 3, 28))
    with pytest.raises(LocalTimeInvalid, match="02:30 does not exist on 2027-03-28"):
        copy_day(course_session=course_session, from_day=datetime.date(2027, 3, 21), to_day=datetime.date(2027, 3, 28))

    assert CourseSession.objects.count() == before
    assert course_session.slots.count() == slots_before


def test_fc03_local_time_problem_names_skipped_and_repeated_times_and_accepts_ordinary_ones():
    assert "does not exist" in local_time_problem(datetime.date(2027, 3, 28), datetime.time(2, 0), PARIS)
    assert "occurs twice" in local_time_problem(datetime.date(2027, 10, 31), datetime.time(2, 59), PARIS)
    assert local_time_problem(datetime.date(2027, 3, 28), datetime.time(3, 0), PARIS) is None
    assert local_time_problem(datetime.date(2027, 10, 31), datetime.time(3, 0), PARIS) is None
