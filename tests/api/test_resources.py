"""Resources of the API: catalogue, bookings through the public form's service, filters, errors."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from academy.core.models import AuditLogEntry, ClientOrganisation
from academy.enrolment.models import Booking, Enrolment
from tests.enrolment.helpers import open_session
from tests.factories.enrolment import EnrolmentFactory

from .helpers import ANH, ZOE, booking_body

pytestmark = pytest.mark.django_db


def test_sessions_show_their_seats_left_and_slots(planner_api):
    course_session = open_session(capacity_seats=3)
    EnrolmentFactory(booking__course_session=course_session)

    body = planner_api.get("/api/v1/sessions/%d/" % course_session.pk).json()

    assert body["seats_left"] == 2
    assert body["capacity_seats"] == 3
    assert len(body["slots"]) == 2
    starts_at = datetime.datetime.fromisoformat(body["starts_at"])
    assert starts_at == datetime.datetime(2027, 3, 30, 7, 0, tzinfo=datetime.UTC)  # 09:00 in Paris


def test_lists_are_paginated_in_a_stable_order(planner_api):
    sessions = [open_session() for _ in range(3)]
    first = planner_api.get("/api/v1/sessions/?page_size=2").json()
    second = planner_api.get("/api/v1/sessions/?page_size=2&page=2").json()
    assert first["count"] == 3 and first["next"] and second["previous"]
    assert [s["id"] for s in first["results"] + second["results"]] == [s.pk for s in sessions]


def test_sessions_filter_by_status_course_and_date(planner_api):
    wanted = open_session()
    other_day = open_session()
    later = datetime.timedelta(days=40)
    other_day.slots.update(starts_at=F("starts_at") + later, ends_at=F("ends_at") + later)
    open_session(status="draft")

    found = planner_api.get(
        "/api/v1/sessions/",
        {"status": "open", "course": wanted.course.code, "date_from": "2027-03-30", "date_to": "2027-03-30"},
    ).json()
    assert [s["id"] for s in found["results"]] == [wanted.pk]


def test_updated_since_returns_only_what_changed(planner_api):
    old = open_session()
    type(old).objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    recent = open_session()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    found = planner_api.get("/api/v1/sessions/", {"updated_since": since}).json()
    assert [s["id"] for s in found["results"]] == [recent.pk]


@pytest.mark.parametrize(
    "query,field",
    [
        ({"status": "nonsense"}, "status"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"date_from": "2027-02-30"}, "date_from"),
    ],
)
def test_a_malformed_filter_gets_a_400_problem_naming_it(planner_api, query, field):
    response = planner_api.get("/api/v1/sessions/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_an_unknown_object_or_path_is_a_404_problem(planner_api):
    for path in ("/api/v1/sessions/999999/", "/api/v1/nothing-here/", "/api/v1/sessions/abc/"):
        response = planner_api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


def test_a_booking_through_the_api_enrols_as_the_public_form_does(planner_api):
    course_session = open_session(capacity_seats=1)

    response = planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE, ANH))

    assert response.status_code == 201, response.content
    body = response.json()
    assert [e["status"] for e in body["enrolments"]] == ["confirmed", "waiting"]
    booking = Booking.objects.get(pk=body["id"])
    assert booking.client_organisation.name == "Société Générale d'Électricité"
    assert AuditLogEntry.objects.filter(event="enrolment.confirmed").count() == 1
    assert AuditLogEntry.objects.filter(event="enrolment.waitlisted").count() == 1


def test_the_same_submission_key_twice_makes_one_booking(planner_api):
    course_session = open_session()
    body = booking_body(course_session, ZOE)
    first = planner_api.post("/api/v1/bookings/", body)
    again = planner_api.post("/api/v1/bookings/", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Enrolment.objects.count() == 1


def test_bad_input_gets_the_forms_own_messages_in_french_and_nothing_is_saved(planner_api):
    course_session = open_session()
    body = booking_body(course_session, ("", "Sans", "pas-un-email"), accept_terms=False, funding="opco")

    response = planner_api.post("/api/v1/bookings/", body, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    errors = {e["field"]: e["detail"] for e in response.json()["errors"]}
    assert errors["trainees.0.first_name"] == "Ce champ est obligatoire."
    assert errors["trainees.0.email"] == "Saisissez une adresse de courriel valide."
    assert errors["accept_terms"] == "Veuillez accepter les conditions pour vous inscrire."
    assert errors["funder_name"] == "Quel OPCO ?"
    assert Booking.objects.count() == 0


def test_messages_follow_accept_language(planner_api):
    course_session = open_session()
    body = booking_body(course_session, ZOE, accept_terms=False)
    response = planner_api.post("/api/v1/bookings/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"] == [{"field": "accept_terms", "detail": "Please accept the terms to enrol."}]


def test_an_invalid_siret_gets_the_forms_message(planner_api):
    course_session = open_session()
    response = planner_api.post(
        "/api/v1/bookings/", booking_body(course_session, ZOE, organisation_siret="123 456 789 00013")
    )
    assert response.status_code == 400
    assert "Ce SIRET n’est pas valide" in response.json()["detail"]


def test_the_same_person_twice_on_a_session_is_refused_with_its_field(planner_api):
    course_session = open_session()
    assert planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE)).status_code == 201
    response = planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE, ANH))
    assert response.status_code == 400
    fields = [e["field"] for e in response.json()["errors"]]
    assert "trainees.0.email" in fields and "trainees.1.email" not in fields
    assert Enrolment.objects.count() == 1


def test_a_group_refused_when_it_does_not_fit_is_a_409_with_the_services_message(planner_api):
    course_session = open_session(capacity_seats=1)
    response = planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE, ANH, overflow_policy="refuse"))
    assert response.status_code == 409
    assert "nobody was enrolled" in response.json()["detail"] or "personne" in response.json()["detail"]
    assert Enrolment.objects.count() == 0


def test_a_closed_session_is_a_409(planner_api):
    course_session = open_session(status="closed")
    response = planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE))
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_session_in_the_body_is_a_400_naming_the_field(planner_api):
    body = booking_body(open_session(), ZOE)
    body["course_session"] = 999999
    response = planner_api.post("/api/v1/bookings/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "course_session"


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'"text"', b'{"trainees": "nobody"}', b'{"course_session": "x"}', b"\xff\xfe"],
)
def test_malformed_bodies_get_a_400_problem(planner_api, raw):
    response = planner_api.client.post("/api/v1/bookings/", raw, content_type="application/json", **planner_api.headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_that_is_not_json_gets_415(planner_api):
    response = planner_api.post("/api/v1/bookings/", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_cancelling_through_the_api_frees_the_seat_for_the_waiting_list(planner_api):
    course_session = open_session(capacity_seats=1)
    booked = planner_api.post("/api/v1/bookings/", booking_body(course_session, ZOE, ANH)).json()
    confirmed, waiting = booked["enrolments"]

    response = planner_api.post("/api/v1/enrolments/%d/cancel/" % confirmed["id"], {"reason": "Empêchée"})

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Enrolment.objects.get(pk=waiting["id"]).status == Enrolment.Status.OFFERED
    again = planner_api.post("/api/v1/enrolments/%d/cancel/" % confirmed["id"])
    assert again.status_code == 409


def test_a_planner_token_adds_an_organisation_with_a_checked_siret(planner_api):
    bad = planner_api.post("/api/v1/organisations/", {"name": "Coop", "siret": "12345678900013"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "siret"
    good = planner_api.post("/api/v1/organisations/", {"name": "Coop", "siret": "732 829 320 00074"})
    assert good.status_code == 201
    assert ClientOrganisation.objects.get(pk=good.json()["id"]).siret == "73282932000074"
