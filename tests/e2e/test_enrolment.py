"""Enrolment in a real browser: a company contact enrols two trainees on the seed course."""

import base64
import datetime

import pytest
from icalendar import Calendar

from academy.core.models import OutboundEmail
from academy.enrolment.models import Enrolment
from tests.factories.scheduling import session_with_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_company_contact_enrols_two_trainees_on_the_seed_course_and_gets_an_ics(page, seed_course, screenshot):
    course_session = session_with_days(
        datetime.date(2027, 3, 30), course=seed_course, capacity_seats=12, price_excl_vat="950.00"
    )

    page.goto(seed_course.get_absolute_url())
    assert "Sessions & Inscriptions" in page.locator("main").inner_text()
    panel = page.locator("div.enrolment-sessions")
    assert "mardi 30 mars 2027" in panel.inner_text()
    assert "12 places restantes" in panel.inner_text()
    screenshot(page, "enrolment-01-course-page")

    panel.get_by_role("link", name="S’inscrire").click()
    page.wait_for_url("**/enrolment/sessions/%d/" % course_session.pk)
    page.check("input[name='for_whom'][value='others']")
    page.fill("#id_contact_first_name", "Camille")
    page.fill("#id_contact_last_name", "Martin")
    page.fill("#id_contact_email", "camille.martin@exemple.fr")
    page.fill("#id_organisation_name", "Société Générale d'Électricité")
    page.check("input[name='funding'][value='opco']")
    page.fill("#id_funder_name", "Atlas")
    page.fill("#id_trainees-0-first_name", "Zoë")
    page.fill("#id_trainees-0-last_name", "Ñúñez-Łukasiewicz")
    page.fill("#id_trainees-0-email", "zoe.nunez@exemple.fr")
    page.get_by_role("button", name="Ajouter un ou une stagiaire").click()
    page.fill("#id_trainees-1-first_name", "Ánh")
    page.fill("#id_trainees-1-last_name", "Nguyễn Thị")
    page.fill("#id_trainees-1-email", "anh.nguyen@exemple.fr")
    page.fill("#id_trainees-1-accessibility_needs", "Boucle magnétique")
    assert page.locator("#overflow").is_hidden()  # the group fits: no overflow question
    page.check("#id_accept_terms")
    screenshot(page, "enrolment-02-form-filled")
    page.get_by_role("button", name="Envoyer mon inscription").click()

    page.wait_for_url("**/enrolment/bookings/**")
    body = page.locator("main").inner_text()
    assert "Merci, votre inscription est enregistrée" in body
    assert "2 places confirmées" in body
    assert "Ñúñez-Łukasiewicz" in body and "Nguyễn Thị" in body
    assert "Boucle magnétique" not in body
    screenshot(page, "enrolment-03-confirmation")

    assert sorted(Enrolment.objects.values_list("status", flat=True)) == ["confirmed", "confirmed"]
    outbound = OutboundEmail.objects.get(category="enrolment.booking_received")
    assert outbound.to == ["camille.martin@exemple.fr"]
    assert outbound.status == "sent"
    [attachment] = outbound.attachments
    calendar = Calendar.from_ical(base64.b64decode(attachment["content_b64"]))
    starts = sorted(
        e.decoded("DTSTART").astimezone(datetime.UTC)
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith("slot-")
    )
    assert starts == [
        datetime.datetime(2027, 3, 30, 7, tzinfo=datetime.UTC),
        datetime.datetime(2027, 3, 30, 12, tzinfo=datetime.UTC),
    ]


def test_the_form_says_beforehand_what_happens_when_the_group_exceeds_the_seats_left(page, seed_course, screenshot):
    course_session = session_with_days(datetime.date(2027, 3, 30), course=seed_course, capacity_seats=1)

    page.goto("/enrolment/sessions/%d/" % course_session.pk)
    page.check("input[name='for_whom'][value='others']")
    assert page.locator("#overflow").is_hidden()
    page.get_by_role("button", name="Ajouter un ou une stagiaire").click()

    assert page.locator("#overflow").is_visible()
    assert (
        "Votre groupe de 2 personnes dépasse le nombre de places restantes (1)"
        in page.locator("#overflow-warning").inner_text()
    )
    screenshot(page, "enrolment-04-overflow-choice")
