import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from academy.scheduling.calendar import session_calendar
from academy.scheduling.views import trainer_feed_url
from tests.clock import restore_clock  # noqa: F401 (fixture)
from tests.factories.core import ClientOrganisationFactory
from tests.factories.scheduling import (
    CourseSessionFactory,
    SessionSlotFactory,
    TrainerFactory,
    paris,
    session_with_days,
)

UTC = datetime.UTC


def fc04_session():
    course_session = CourseSessionFactory(
        venue_address="12, rue de la Paix; bâtiment B", enrolment_deadline=datetime.date(2026, 4, 15)
    )
    SessionSlotFactory(
        course_session=course_session, starts_at=paris(2026, 3, 30, 9), ends_at=paris(2026, 3, 30, 12, 30)
    )
    return course_session


def events(ics: bytes):
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


@pytest.mark.django_db
def test_fc04_timed_event_carries_tzid_with_vtimezone_and_parses_to_07_00_utc():
    ics = session_calendar(fc04_session())

    assert b"DTSTART;TZID=Europe/Paris:20260330T090000" in ics
    calendar = Calendar.from_ical(ics)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    slot_event = [e for e in events(ics) if e["UID"].startswith("slot-")][0]
    assert slot_event.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert slot_event.decoded("DTEND").astimezone(UTC) == datetime.datetime(2026, 3, 30, 10, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_fc04_all_day_deadline_is_value_date_15th_to_16th_whatever_the_server_timezone(settings, monkeypatch):
    course_session = fc04_session()
    for server_tz in ("Pacific/Auckland", "America/Los_Angeles", "UTC"):
        monkeypatch.setenv("TZ", server_tz)
        time.tzset()
        settings.TIME_ZONE = server_tz
        ics = session_calendar(course_session)
        assert b"DTSTART;VALUE=DATE:20260415" in ics
        assert b"DTEND;VALUE=DATE:20260416" in ics
        deadline = [e for e in events(ics) if "deadline" in str(e["UID"])][0]
        assert deadline.decoded("DTSTART") == datetime.date(2026, 4, 15)
        assert deadline.decoded("DTEND") == datetime.date(2026, 4, 16)
    monkeypatch.undo()
    time.tzset()


@pytest.mark.django_db
def test_fc04_commas_and_semicolons_in_the_location_are_escaped_and_read_back_exactly():
    ics = session_calendar(fc04_session())

    assert "LOCATION:12\\, rue de la Paix\\; bâtiment B".encode() in ics
    slot_event = [e for e in events(ics) if e["UID"].startswith("slot-")][0]
    assert str(slot_event["LOCATION"]) == "12, rue de la Paix; bâtiment B"


@pytest.mark.django_db
def test_fc04_each_slot_keeps_a_stable_uid_across_updates():
    course_session = fc04_session()
    first = [str(e["UID"]) for e in events(session_calendar(course_session))]
    course_session.venue_address = "Ailleurs"
    course_session.save()
    second = [str(e["UID"]) for e in events(session_calendar(course_session))]

    assert first == second
    assert len(set(first)) == len(first) == 2


@pytest.mark.django_db
def test_fc03_calendar_shows_09_00_and_14_00_paris_on_both_sides_of_the_clock_change():
    course_session = session_with_days(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    starts = sorted(
        e.decoded("DTSTART") for e in events(session_calendar(course_session)) if e["UID"].startswith("slot-")
    )

    assert [s.astimezone(ZoneInfo("Europe/Paris")).strftime("%d %H:%M") for s in starts] == [
        "27 09:00",
        "27 14:00",
        "30 09:00",
        "30 14:00",
    ]


@pytest.mark.django_db
def test_session_ics_view_serves_a_calendar_of_a_published_session(client):
    course_session = fc04_session()
    response = client.get(reverse("scheduling:session_ics", kwargs={"pk": course_session.pk}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert len(events(response.content)) == 2


@pytest.mark.django_db
def test_session_ics_view_hides_draft_sessions(client):
    course_session = session_with_days(datetime.date(2027, 3, 30), status="draft")
    assert client.get(reverse("scheduling:session_ics", kwargs={"pk": course_session.pk})).status_code == 404


@pytest.mark.django_db
def test_course_feed_lists_the_inter_company_sessions_of_the_course_only(client):
    course_session = session_with_days(datetime.date(2027, 3, 30))
    session_with_days(
        datetime.date(2027, 4, 6),
        course=course_session.course,
        kind="in_company",
        client_organisation=ClientOrganisationFactory(),
    )
    session_with_days(datetime.date(2027, 4, 6))  # another course

    response = client.get(reverse("scheduling:course_feed", kwargs={"code": course_session.course.code}))

    uids = {str(e["UID"]) for e in events(response.content)}
    assert uids == {"slot-%s@127.0.0.1" % s.pk for s in course_session.slots.all()}


@pytest.mark.django_db
def test_trainer_feed_lists_the_trainers_sessions_behind_a_signed_token(client, settings):
    trainer = TrainerFactory()
    mine = session_with_days(datetime.date(2027, 3, 30))
    mine.trainers.add(trainer)
    session_with_days(datetime.date(2027, 4, 6))

    response = client.get(trainer_feed_url(trainer).replace(settings.SITE_URL, ""))

    assert response.status_code == 200
    assert {str(e["UID"]) for e in events(response.content)} == {"slot-%s@127.0.0.1" % s.pk for s in mine.slots.all()}


@pytest.mark.django_db
def test_trainer_feed_refuses_a_tampered_token(client, settings):
    trainer = TrainerFactory()
    url = trainer_feed_url(trainer).replace(settings.SITE_URL, "")
    tampered = url.replace("/calendar.ics", "x/calendar.ics")

    assert client.get(tampered).status_code == 404


@pytest.mark.django_db
def test_editing_a_half_day_raises_its_sequence_and_the_file_is_stamped_when_generated(restore_clock):  # noqa: F811
    """RFC 5545: a changed event has a higher SEQUENCE, its LAST-MODIFIED time, and DTSTAMP is the
    moment the file is generated, so calendar clients replace the old time instead of keeping it."""
    restore_clock.at(paris(2026, 3, 1, 10))
    course_session = fc04_session()
    slot = course_session.slots.get()
    first = events(session_calendar(course_session))[0]
    assert int(first["SEQUENCE"]) == 0
    assert first.decoded("DTSTAMP") == paris(2026, 3, 1, 10).astimezone(UTC)

    restore_clock.at(paris(2026, 3, 2, 11))
    slot.starts_at = paris(2026, 3, 30, 9, 30)
    slot.save()
    restore_clock.at(paris(2026, 3, 3, 12))
    second = events(session_calendar(course_session))[0]

    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == 1
    assert second.decoded("DTSTAMP") == paris(2026, 3, 3, 12).astimezone(UTC) != first.decoded("DTSTAMP")
    assert second.decoded("LAST-MODIFIED") == paris(2026, 3, 2, 11).astimezone(UTC)
    assert second.decoded("DTSTART").astimezone(UTC) == paris(2026, 3, 30, 9, 30).astimezone(UTC)

    # Saving without change keeps the revision; moving the session elsewhere raises it again.
    slot.save()
    assert events(session_calendar(course_session))[0]["SEQUENCE"] == 1
    course_session.venue_address = "Ailleurs"
    course_session.save()
    assert int(events(session_calendar(course_session))[0]["SEQUENCE"]) == 2
