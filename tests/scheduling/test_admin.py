import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from academy.scheduling.models import CourseSession
from tests.factories.catalog import CourseFactory
from tests.factories.scheduling import TrainerFactory, session_with_days

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def session_form(course, trainer, **overrides):
    data = {
        "course": course.pk,
        "kind": "inter_company",
        "client_organisation": "",
        "status": "open",
        "language": "fr",
        "timezone": "Europe/Paris",
        "venue_address": "12, rue de la Paix; bâtiment B",
        "remote_url": "",
        "joining_instructions": "",
        "capacity_seats": "12",
        "price_excl_vat": "950.00",
        "vat_rate_pct": "20",
        "currency": "EUR",
        "enrolment_deadline": "2027-03-20",
        "trainers": [trainer.pk],
        "subcontracting": "none",
        "subcontracting_partner": "",
        "slots-TOTAL_FORMS": "2",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
        "slots-0-day": "2027-03-26",
        "slots-0-start_time": "09:00",
        "slots-0-end_time": "12:30",
        "slots-0-content": "",
        "slots-1-day": "2027-03-29",
        "slots-1-start_time": "14:00",
        "slots-1-end_time": "17:30",
        "slots-1-content": "",
    }
    data.update(overrides)
    return data


def test_staff_create_a_session_with_slots_typed_in_local_time_across_a_clock_change(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), session_form(course, trainer))

    assert response.status_code == 302, response.content.decode()[:3000]
    course_session = CourseSession.objects.get()
    slots = list(course_session.slots.order_by("starts_at"))
    assert [s.starts_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") for s in slots] == [
        "2027-03-26 09:00",
        "2027-03-29 14:00",
    ]
    assert [s.starts_at.astimezone(datetime.UTC).hour for s in slots] == [8, 12]
    assert list(course_session.trainers.all()) == [trainer]


def test_a_slot_ending_before_it_starts_gets_a_field_message(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(course, trainer, **{"slots-0-end_time": "08:00"})

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    assert response.status_code == 200
    assert "La fin doit être après le début." in response.content.decode()
    assert CourseSession.objects.count() == 0


def test_an_unknown_timezone_is_refused(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    response = admin_client.post(
        reverse("admin:scheduling_coursesession_add"), session_form(course, trainer, timezone="Europe/Pariss")
    )

    assert "n’est pas un fuseau horaire connu" in response.content.decode()
    assert CourseSession.objects.count() == 0


def test_an_in_company_session_needs_its_client_organisation(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    response = admin_client.post(
        reverse("admin:scheduling_coursesession_add"), session_form(course, trainer, kind="in_company")
    )

    assert "choisissez-la" in response.content.decode()


def test_the_change_page_shows_slots_in_the_sessions_local_time(admin_client):
    course_session = session_with_days(datetime.date(2027, 3, 29))

    content = admin_client.get(
        reverse("admin:scheduling_coursesession_change", args=[course_session.pk])
    ).content.decode()

    assert 'value="09:00"' in content and 'value="14:00"' in content


def test_the_copy_action_asks_for_the_first_day_then_copies_keeping_local_times(admin_client):
    source = session_with_days(datetime.date(2026, 3, 27))
    url = reverse("admin:scheduling_coursesession_changelist")

    ask = admin_client.post(url, {"action": "copy_to_new_dates", "_selected_action": [source.pk]})
    assert "premier jour de la copie" in ask.content.decode()
    done = admin_client.post(
        url, {"action": "copy_to_new_dates", "_selected_action": [source.pk], "first_day": "2026-03-30"}
    )

    assert done.status_code == 302
    copy = CourseSession.objects.exclude(pk=source.pk).get()
    assert [s.starts_at.astimezone(PARIS).strftime("%d %H:%M") for s in copy.slots.order_by("starts_at")] == [
        "30 09:00",
        "30 14:00",
    ]


def test_the_trainer_page_shows_the_private_calendar_link(admin_client):
    trainer = TrainerFactory()
    content = admin_client.get(reverse("admin:scheduling_trainer_change", args=[trainer.pk])).content.decode()
    assert "/sessions/trainers/" in content


def test_the_capacity_cannot_go_below_the_seats_already_taken(admin_client):
    from tests.factories.enrolment import EnrolmentFactory

    course_session = session_with_days(datetime.date(2027, 3, 29), capacity_seats=3)
    for _ in range(3):
        EnrolmentFactory(booking__course_session=course_session)
    slots = list(course_session.slots.order_by("starts_at"))
    data = session_form(
        course_session.course,
        TrainerFactory(),
        capacity_seats="2",
        **{
            "slots-TOTAL_FORMS": "2",
            "slots-INITIAL_FORMS": "2",
            "slots-0-id": slots[0].pk,
            "slots-0-course_session": course_session.pk,
            "slots-0-day": "2027-03-29",
            "slots-0-start_time": "09:00",
            "slots-0-end_time": "12:30",
            "slots-1-id": slots[1].pk,
            "slots-1-course_session": course_session.pk,
            "slots-1-day": "2027-03-29",
            "slots-1-start_time": "14:00",
            "slots-1-end_time": "17:30",
        },
    )

    response = admin_client.post(reverse("admin:scheduling_coursesession_change", args=[course_session.pk]), data)

    assert "3 places sont déjà prises" in response.content.decode()
    course_session.refresh_from_db()
    assert course_session.capacity_seats == 3


def test_french_admin_renders_iso_values_in_html5_date_and_time_inputs(admin_client):
    course_session = session_with_days(datetime.date(2027, 3, 26))
    response = admin_client.get(
        reverse("admin:scheduling_coursesession_change", args=[course_session.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert 'type="date" name="slots-0-day" value="2027-03-26"' in html
    assert 'type="time" name="slots-0-start_time" value="09:00"' in html


def test_fc03_a_half_day_in_the_hour_skipped_by_the_spring_change_gets_a_form_message(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(
        course,
        trainer,
        **{"slots-1-day": "2027-03-28", "slots-1-start_time": "02:30", "slots-1-end_time": "03:30"},
    )

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    assert response.status_code == 200
    assert "02:30 n’existe pas le 2027-03-28 dans Europe/Paris" in response.content.decode()
    assert CourseSession.objects.count() == 0


def test_fc03_a_half_day_in_the_hour_repeated_by_the_autumn_change_gets_a_form_message(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()
    data = session_form(
        course,
        trainer,
        **{"slots-1-day": "2027-10-31", "slots-1-start_time": "02:15", "slots-1-end_time": "04:00"},
    )

    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)

    assert response.status_code == 200
    assert "02:15 existe deux fois le 2027-10-31 dans Europe/Paris" in response.content.decode()
    assert CourseSession.objects.count() == 0
