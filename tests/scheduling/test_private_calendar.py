"""In-company sessions' calendars are not public at sequential ids: only their signed link serves them."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.factories.core import ClientOrganisationFactory
from tests.factories.scheduling import session_with_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_company():
    return session_with_days(
        datetime.date(2027, 3, 30), kind="in_company", client_organisation=ClientOrganisationFactory()
    )


def test_in_company_calendar_is_not_served_at_its_sequential_id(client, in_company):
    response = client.get(reverse("scheduling:session_ics", kwargs={"pk": in_company.pk}))

    assert response.status_code == 404


def test_in_company_calendar_is_served_through_its_signed_link(client, in_company):
    url = in_company.calendar_url()

    response = client.get(url)

    assert str(in_company.pk) not in url.split("/")
    assert response.status_code == 200
    slots = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(slots) == 2


def test_a_tampered_private_calendar_link_is_refused(client, in_company):
    response = client.get(in_company.calendar_url().replace("/calendar.ics", "x/calendar.ics"))

    assert response.status_code == 404


def test_an_expired_private_calendar_link_is_refused(client, in_company, settings):
    settings.SCHEDULING_PRIVATE_CALENDAR_MAX_AGE_DAYS = -1

    assert client.get(in_company.calendar_url()).status_code == 404


def test_an_inter_company_session_keeps_its_public_calendar_url(client):
    course_session = session_with_days(datetime.date(2027, 3, 30))

    assert course_session.calendar_url() == reverse("scheduling:session_ics", kwargs={"pk": course_session.pk})
    assert client.get(course_session.calendar_url()).status_code == 200
