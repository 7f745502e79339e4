"""Half-days of a session: sane dates, no overlap, and calendars that never fail on a stored slot."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from academy.scheduling.models import CourseSession, SessionSlot
from tests.factories.catalog import CourseFactory
from tests.factories.scheduling import SessionSlotFactory, TrainerFactory, session_with_days

from .test_admin import session_form

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_the_admin_refuses_a_half_day_dated_out_of_range_and_says_which_range(admin_client, day):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(course, trainer, **{"slots-0-day": day})

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    assert response.status_code == 200
    assert "entre le 2000-01-01 et le" in response.content.decode()
    assert CourseSession.objects.count() == 0


def test_a_half_day_more_than_ten_years_ahead_is_refused_by_the_model():
    course_session = session_with_days()
    start = datetime.datetime.now(UTC) + datetime.timedelta(days=366 * 10 + 2)
    slot = SessionSlot(course_session=course_session, starts_at=start, ends_at=start + datetime.timedelta(hours=3))

    with pytest.raises(ValidationError) as excinfo:
        slot.full_clean()

    assert "au plus 10 ans" in str(excinfo.value)


@pytest.mark.parametrize(
    "start",
    [datetime.datetime(9999, 12, 31, 8, tzinfo=UTC), datetime.datetime(1, 1, 1, 8, tzinfo=UTC)],
)
def test_calendars_skip_a_stored_half_day_at_the_limits_of_dates_instead_of_failing(client, start):
    course_session = session_with_days(datetime.date(2027, 3, 30))
    SessionSlotFactory(course_session=course_session, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    CourseSession.objects.filter(pk=course_session.pk).update(enrolment_deadline=datetime.date(9999, 12, 31))

    for url in (
        reverse("scheduling:session_ics", kwargs={"pk": course_session.pk}),
        reverse("scheduling:course_feed", kwargs={"code": course_session.course.code}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2  # the two half-days of 2027-03-30


def test_the_admin_refuses_overlapping_half_days_naming_both(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(
        course,
        trainer,
        **{"slots-1-day": "2027-03-26", "slots-1-start_time": "10:00", "slots-1-end_time": "17:00"},
    )

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "2027-03-26 09:00–12:30" in content and "2027-03-26 10:00–17:00" in content
    assert "se chevauchent" in content
    assert CourseSession.objects.count() == 0


def test_the_admin_accepts_half_days_that_touch_without_overlapping(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(
        course,
        trainer,
        **{"slots-1-day": "2027-03-26", "slots-1-start_time": "12:30", "slots-1-end_time": "17:00"},
    )

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.parametrize("field", ["venue_address", "joining_instructions"])
def test_the_admin_refuses_a_control_character_in_public_session_text(admin_client, field):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(course, trainer, **{field: "a\x01b"})

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    assert response.status_code == 200
    assert "U+0001" in response.content.decode()
    assert CourseSession.objects.count() == 0


@pytest.mark.parametrize("language", ["<script>", "french", "fr_FR", ""])
def test_the_session_language_must_be_a_language_code(admin_client, language):
    course, trainer = CourseFactory(), TrainerFactory()

    response = admin_client.post(
        reverse("admin:scheduling_coursesession_add"), session_form(course, trainer, language=language)
    )

    assert response.status_code == 200
    assert CourseSession.objects.count() == 0


@pytest.mark.parametrize("language", ["en", "pt-BR"])
def test_a_language_code_is_accepted(admin_client, language):
    course, trainer = CourseFactory(), TrainerFactory()

    response = admin_client.post(
        reverse("admin:scheduling_coursesession_add"), session_form(course, trainer, language=language)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
