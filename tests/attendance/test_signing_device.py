"""The room code proves presence, not identity: a trainee identifies with something personal, and
a browser that signed for one trainee of a session cannot sign for another (the trainer's kiosk
excepted)."""

import datetime
import html
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from academy.attendance import services
from academy.attendance.models import Signature
from academy.core.models import AuditLogEntry
from tests.factories.attendance import DRAWING
from tests.factories.scheduling import SessionSlotFactory

from .helpers import session_happening_now, trainee

pytestmark = pytest.mark.django_db

STROKES = json.dumps(DRAWING)


@pytest.fixture(autouse=True)
def _french_pages():
    """Pages in French, the default language (reverse() then gives unprefixed URLs)."""
    with translation.override("fr"):
        yield


@pytest.fixture
def room():
    session, trainer, slot = session_happening_now()
    alice = trainee(session, first_name="Zoë", last_name="Ñúñez-Łukasiewicz", email="zoe.nunez@exemple.fr")
    bob = trainee(session, first_name="Nguyễn", last_name="Thị Ánh", email="anh.nguyen@exemple.fr")
    return session, trainer, slot, alice, bob


def _scan(client, slot) -> str:
    response = client.get(reverse("attendance:scan", args=[slot.pk, services.make_qr_token(slot=slot)]))
    assert response.status_code == 302
    return response["Location"]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_room_url_never_shows_the_list_of_names(client, room):
    _session, _trainer, slot, alice, bob = room
    page = _text(client.get(_scan(client, slot)))
    assert alice.last_name not in page and bob.last_name not in page
    assert 'name="email"' in page and 'name="enrolment"' not in page


def test_room_url_holder_cannot_sign_for_another_trainee(client, room):
    _session, _trainer, slot, _alice, bob = room
    location = _scan(client, slot)
    response = client.post(location, {"enrolment": bob.pk, "strokes": STROKES}, follow=True)
    assert "Saisissez l'adresse e-mail utilisée pour l'inscription, puis signez." in _text(response)
    assert not Signature.objects.exists()


def test_a_trainee_identifies_with_their_email_and_signs_in_one_step(client, room):
    _session, _trainer, slot, alice, _bob = room
    location = _scan(client, slot)
    response = client.post(location, {"email": "  Zoe.Nunez@Exemple.FR ", "strokes": STROKES})
    assert response.status_code == 200
    assert Signature.objects.get().enrolment == alice
    assert services.device_cookie_name(slot.course_session) in response.cookies


def test_an_email_that_matches_no_trainee_of_the_session_is_refused_and_logged(client, room):
    session, _trainer, slot, _alice, _bob = room
    other_session, _t, _s = session_happening_now()
    stranger = trainee(other_session, email="intrus@exemple.fr")
    location = _scan(client, slot)
    response = client.post(location, {"email": stranger.email, "strokes": STROKES}, follow=True)
    assert "Aucun·e stagiaire confirmé·e de cette session n'a cette adresse e-mail." in _text(response)
    assert not Signature.objects.exists()
    assert AuditLogEntry.objects.filter(action="refuse", summary__startswith="unknown_trainee").count() == 1


def test_a_device_that_signed_for_one_trainee_cannot_identify_as_another(client, room):
    _session, _trainer, slot, alice, bob = room
    location = _scan(client, slot)
    client.post(location, {"email": alice.email, "strokes": STROKES})
    response = client.post(_scan(client, slot), {"email": bob.email, "strokes": STROKES})
    assert response.status_code == 403
    assert "Cet appareil a déjà servi à signer pour un·e autre stagiaire de cette session." in _text(response)
    assert list(Signature.objects.values_list("enrolment_id", flat=True)) == [alice.pk]
    assert AuditLogEntry.objects.filter(action="refuse", summary__startswith="someone_else").exists()


def test_the_device_stays_bound_to_its_trainee_for_the_next_half_day_of_the_session(client, room):
    session, _trainer, slot, alice, bob = room
    later = SessionSlotFactory(
        course_session=session,
        starts_at=slot.starts_at + datetime.timedelta(minutes=10),
        ends_at=slot.ends_at + datetime.timedelta(minutes=10),
    )
    client.post(_scan(client, slot), {"email": alice.email, "strokes": STROKES})
    page = _text(client.get(_scan(client, later)))
    assert "Zoë Ñúñez-Łukasiewicz" in page and 'name="email"' not in page
    refused = client.post(reverse("attendance:scan_sign", args=[later.pk]), {"email": bob.email, "strokes": STROKES})
    assert refused.status_code == 403
    assert client.post(reverse("attendance:scan_sign", args=[later.pk]), {"strokes": STROKES}).status_code == 200
    assert set(Signature.objects.values_list("slot_id", "enrolment_id")) == {(slot.pk, alice.pk), (later.pk, alice.pk)}


def test_a_personal_link_cannot_sign_on_a_device_bound_to_another_trainee(client, room):
    _session, _trainer, slot, alice, bob = room
    alice_link = reverse(
        "attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=alice)]
    )
    bob_link = reverse(
        "attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=bob)]
    )
    assert client.post(alice_link, {"strokes": STROKES}).status_code == 200
    refused = client.post(bob_link, {"strokes": STROKES})
    assert refused.status_code == 403
    assert "Cet appareil a déjà servi à signer pour un·e autre stagiaire de cette session." in _text(refused)
    assert list(Signature.objects.values_list("enrolment_id", flat=True)) == [alice.pk]
    assert Client().post(bob_link, {"strokes": STROKES}).status_code == 200


def test_the_trainer_kiosk_signs_for_several_trainees_even_on_a_bound_device(client, room):
    _session, trainer, slot, alice, bob = room
    from django.contrib.auth import get_user_model

    trainer.user = get_user_model().objects.create_user("tristan", password="x" * 14)
    trainer.save()
    client.post(_scan(client, slot), {"email": alice.email, "strokes": STROKES})
    client.force_login(trainer.user)
    client.post(reverse("attendance:kiosk", args=[slot.pk]), {"enrolment": bob.pk, "strokes": STROKES})
    assert set(Signature.objects.values_list("enrolment_id", "method")) == {(alice.pk, "qr_code"), (bob.pk, "kiosk")}
