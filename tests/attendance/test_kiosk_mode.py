"""Kiosk mode: a trainer's device passed around the room is locked to the signing page."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from academy.attendance import kiosk
from academy.attendance.models import Attendance, Signature
from tests.factories.attendance import DRAWING

from .helpers import session_happening_now, trainee

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def kiosk_device(client):
    """The trainer opened the kiosk of a half-day happening now on their signed-in device."""
    session, trainer, slot = session_happening_now()
    trainer.user = get_user_model().objects.create_user("tristan", password=PASSWORD)
    trainer.save()
    alice = trainee(session, first_name="Alice", last_name="Martin")
    client.force_login(trainer.user)
    assert client.get(reverse("attendance:kiosk", args=[slot.pk])).status_code == 200
    return client, slot, alice


def test_kiosk_mode_redirects_every_other_page_back_to_the_kiosk(kiosk_device):
    client, slot, _alice = kiosk_device
    kiosk_path = "/attendance/slots/%d/kiosk/" % slot.pk
    for url in (
        reverse("attendance:index"),
        reverse("attendance:slot", args=[slot.pk]),
        reverse("accounts:home"),
        reverse("catalog:course_list"),
        "/admin/",
        "/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].endswith(kiosk_path), url


def test_kiosk_mode_refuses_status_changes_and_countersigning_from_the_device(kiosk_device):
    client, slot, alice = kiosk_device
    client.post(reverse("attendance:set_status", args=[slot.pk]), {"enrolment": alice.pk, "status": "absent"})
    client.post(reverse("attendance:countersign", args=[slot.pk]), {"strokes": json.dumps(DRAWING)})
    assert not Attendance.objects.exists()
    assert not Signature.objects.filter(role=Signature.Role.TRAINER).exists()


def test_the_kiosk_page_shows_no_site_navigation_but_the_leave_form(kiosk_device):
    client, slot, _alice = kiosk_device
    content = client.get(reverse("attendance:kiosk", args=[slot.pk])).content.decode()
    assert 'class="site-nav"' not in content
    assert reverse("accounts:home") not in content
    assert reverse("attendance:kiosk_leave", args=[slot.pk]) in content


def test_trainees_still_sign_one_after_the_other_in_kiosk_mode(kiosk_device):
    client, slot, alice = kiosk_device
    client.post(reverse("attendance:kiosk", args=[slot.pk]), {"enrolment": alice.pk, "strokes": json.dumps(DRAWING)})
    assert Signature.objects.filter(enrolment=alice, method="kiosk").exists()


def test_leaving_kiosk_mode_with_a_wrong_password_keeps_the_lock_with_a_message(kiosk_device):
    client, slot, _alice = kiosk_device
    response = client.post(reverse("attendance:kiosk_leave", args=[slot.pk]), {"password": "guess"}, follow=True)
    assert "This is not the trainer&#x27;s password: the device stays in kiosk mode." in response.content.decode()
    assert client.get(reverse("attendance:index"))["Location"] == reverse("attendance:kiosk", args=[slot.pk])


def test_leaving_kiosk_mode_with_the_trainer_password_gives_the_site_back(kiosk_device):
    client, slot, _alice = kiosk_device
    response = client.post(reverse("attendance:kiosk_leave", args=[slot.pk]), {"password": PASSWORD})
    assert response["Location"] == reverse("attendance:slot", args=[slot.pk])
    assert client.get(reverse("attendance:slot", args=[slot.pk])).status_code == 200
    assert kiosk.SESSION_KEY not in client.session


def test_too_many_wrong_passwords_sign_the_trainer_out(kiosk_device):
    client, slot, _alice = kiosk_device
    for _attempt in range(kiosk.MAX_FAILURES):
        response = client.post(reverse("attendance:kiosk_leave", args=[slot.pk]), {"password": "guess"})
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("attendance:slot", args=[slot.pk])).status_code == 302
