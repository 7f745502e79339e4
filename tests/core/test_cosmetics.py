"""Small things people see: labels, typography, icons, logs, names in the admin."""

import datetime
import logging

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from academy.core.logfilters import OneLineClientErrors
from tests.factories.privacy import OutboundEmailFactory, UserFactory
from tests.factories.scheduling import session_with_days

pytestmark = pytest.mark.django_db


def test_the_outbox_shows_what_an_email_is_in_words_not_its_event_key(client, admin_user):
    OutboundEmailFactory(category="enrolment.staff_new_booking")
    client.force_login(admin_user)

    content = client.get(reverse("core:outbox")).content.decode()

    assert "À l’équipe : une nouvelle réservation." in content
    assert ">enrolment.staff_new_booking<" not in content


@pytest.mark.parametrize(("language", "expected"), [("en", "Tuesday: 09:00"), ("fr", "mardi : 09:00")])
def test_the_label_colon_has_a_space_before_it_in_french_only(language, expected):
    template = Template("{% load academy %}{{ day }}{% colon %}09:00")
    with translation.override(language):
        day = "Tuesday" if language == "en" else "mardi"
        assert template.render(Context({"day": day})) == expected


def test_every_page_links_the_site_icon_and_favicon_ico_leads_to_it(client):
    page = client.get(reverse("catalog:course_list")).content.decode()
    response = client.get("/favicon.ico")

    assert 'rel="icon" href="/static/academy/favicon.svg"' in page
    assert response.status_code == 301 and response["Location"] == "/static/academy/favicon.svg"


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(client, caplog):
    client.force_login(UserFactory(is_staff=True))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("enrolment:planning")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    # Django attaches the PermissionDenied traceback; the configured console filter drops it.
    assert [r.status_code for r in records] == [403]
    assert records[0].exc_info is None
    assert "Traceback" not in logging.Formatter().format(records[0])


def test_a_server_error_keeps_its_traceback_in_the_log():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "boom", None, (ValueError, ValueError("x"), None)
    )
    record.status_code = 500
    OneLineClientErrors().filter(record)
    assert record.exc_info is not None


def test_the_half_day_inline_has_proper_french_names_in_the_admin(admin_client):
    content = admin_client.get(reverse("admin:scheduling_coursesession_add")).content.decode()

    assert "(heure locale de la session)s" not in content
    assert "Demi-journées (heure locale de la session)" in content
    assert "Ajouter : Demi-journ\\u00e9e (heure locale de la session)" in content  # JSON in an attribute
    assert "Ajouter un objet" not in content


def test_third_party_apps_have_french_names_in_the_admin(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()

    assert "Tâches de fond" in content and "Second facteur (application d’authentification)" in content
    assert "Tasks Database Backend" not in content and "Otp_Totp" not in content


def test_the_english_overflow_message_of_a_group_of_one_person_is_singular(client):
    course_session = session_with_days(datetime.date(2027, 3, 30), capacity_seats=1)
    with translation.override("en"):
        url = reverse("enrolment:enrol", kwargs={"pk": course_session.pk})
    content = client.get(url).content.decode()

    assert 'data-msg-overflow-one="Your group of 1 person is larger than the 1 seat left' in content
    assert "1 people" not in content
