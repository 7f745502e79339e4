"""Ids posted by hand on the trainer's pages give "not found" or a message, never a server error."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from academy.attendance.models import Attendance, Signature
from academy.core.params import parse_id
from tests.factories.attendance import DRAWING

from .helpers import session_happening_now, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_room(client):
    session, trainer, slot = session_happening_now()
    trainer.user = get_user_model().objects.create_user("tristan", password="x" * 14)
    trainer.save()
    alice = trainee(session, first_name="Alice", last_name="Martin")
    client.force_login(trainer.user)
    return slot, alice


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "", "99999999999999999999999", "²", " 1"])
def test_a_non_numeric_trainee_id_on_the_status_form_answers_not_found(client, trainer_room, value):
    slot, _alice = trainer_room
    response = client.post(
        reverse("attendance:set_status", args=[slot.pk]), {"enrolment": value, "status": "late", "time": "09:10"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "٣"])
def test_a_non_numeric_trainee_id_on_the_kiosk_asks_to_choose_a_name(client, trainer_room, value):
    slot, _alice = trainer_room
    url = reverse("attendance:kiosk", args=[slot.pk])
    response = client.post(url, {"enrolment": value, "strokes": "[]"}, follow=True)
    assert response.status_code == 200
    assert "Choose your name in the list." in response.content.decode()
    assert not Signature.objects.exists()


def test_the_kiosk_refuses_a_trainee_of_another_session(client, trainer_room):
    slot, _alice = trainer_room
    other_session, _trainer, _slot = session_happening_now()
    stranger = trainee(other_session, first_name="Eve", last_name="Autre")
    response = client.post(
        reverse("attendance:kiosk", args=[slot.pk]),
        {"enrolment": stranger.pk, "strokes": json.dumps(DRAWING)},
        follow=True,
    )
    assert "Choose your name in the list." in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("0", None), ("-3", None), ("1e3", None), ("²", None), ("9" * 25, None), (None, None), (12, None)],
)
def test_parse_id_accepts_only_positive_ascii_integers_that_fit_a_primary_key(value, expected):
    assert parse_id(value) == expected
