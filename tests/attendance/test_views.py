import datetime
import json
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from academy.attendance import services
from academy.attendance.models import Attendance, Signature
from academy.core.models import AuditLogEntry, OutboundEmail
from tests.factories.attendance import DRAWING, sign_slot
from tests.factories.privacy import staff_planner

from .helpers import session_happening_now, trainee, two_day_session

pytestmark = pytest.mark.django_db

STROKES = json.dumps(DRAWING)


@pytest.fixture
def room(client):
    """A slot happening now, its trainer logged in, two confirmed trainees."""
    session, trainer, slot = session_happening_now()
    trainer.user = get_user_model().objects.create_user("tristan", password="x" * 14)
    trainer.save()
    alice = trainee(session, first_name="Zoë", last_name="Ñúñez-Łukasiewicz")
    bob = trainee(session, first_name="Nguyễn", last_name="Thị Ánh")
    return session, trainer, slot, alice, bob


def _scan(client, slot):
    token = services.make_qr_token(slot=slot)
    return client.get(reverse("attendance:scan", args=[slot.pk, token]))


def _identify(client, location, enrolment):
    """The trainee gives their enrolment's e-mail address on the page the room code opens."""
    return client.post(location, {"email": enrolment.email})


def test_the_trainer_sees_the_room_page_with_a_rotating_qr_code(client, room):
    _session, trainer, slot, _alice, _bob = room
    client.force_login(trainer.user)
    page = client.get(reverse("attendance:slot", args=[slot.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-room-qr data-refresh-seconds="30"' in html
    assert "<script>" not in html and "style=" not in html
    qr = client.get(reverse("attendance:qr", args=[slot.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
    assert qr.content.startswith(b"<svg") and b'xmlns="http://www.w3.org/2000/svg"' in qr.content
    assert client.get(reverse("attendance:qr", args=[slot.pk])).content != qr.content


def test_another_logged_in_user_gets_the_room_page_answered_like_an_unknown_one(client, room):
    _session, _trainer, slot, _alice, _bob = room
    client.force_login(get_user_model().objects.create_user("curieux", password="x" * 14))
    assert client.get(reverse("attendance:slot", args=[slot.pk])).status_code == 404
    assert client.get(reverse("attendance:qr", args=[slot.pk])).status_code == 404


def test_no_qr_code_is_served_for_a_future_slot(client):
    session, trainer, slots = two_day_session()
    client.force_login(staff_planner(username="staff"))
    assert client.get(reverse("attendance:qr", args=[slots[0].pk])).status_code == 404


def test_a_trainee_scans_picks_their_name_and_signs(client, room):
    _session, _trainer, slot, alice, _bob = room
    response = _scan(client, slot)
    assert response.status_code == 302
    _identify(client, response["Location"], alice)
    page = client.get(response["Location"])
    assert "Zoë Ñúñez-Łukasiewicz" in page.content.decode()
    done = client.post(response["Location"], {"enrolment": alice.pk, "strokes": STROKES}, HTTP_USER_AGENT="Pixel 8")
    assert done.status_code == 200
    assert "votre signature pour cette demi-journée est enregistrée" in done.content.decode()
    signature = Signature.objects.get(slot=slot, enrolment=alice)
    assert (signature.method, signature.user_agent, signature.ip_address) == ("qr_code", "Pixel 8", "127.0.0.1")


def test_signing_without_scanning_is_refused(client, room):
    _session, _trainer, slot, alice, _bob = room
    response = client.post(reverse("attendance:scan_sign", args=[slot.pk]), {"enrolment": alice.pk, "strokes": STROKES})
    assert response.status_code == 403
    assert "Scannez le code affiché dans la salle" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_forged_code_is_refused_with_a_clear_message_and_logged(client, room):
    _session, _trainer, slot, _alice, _bob = room
    response = client.get(reverse("attendance:scan", args=[slot.pk, "forged:code:value"]))
    assert response.status_code == 403
    assert "Ce code n&#x27;est pas valable pour cette demi-journée" in response.content.decode()
    assert AuditLogEntry.objects.filter(action="refuse", summary__startswith="forged_code").exists()


def test_a_phone_cannot_sign_for_a_second_trainee(client, room):
    _session, _trainer, slot, alice, bob = room
    location = _scan(client, slot)["Location"]
    _identify(client, location, alice)
    client.post(location, {"enrolment": alice.pk, "strokes": STROKES})
    response = client.post(location, {"enrolment": bob.pk, "strokes": STROKES})
    assert response.status_code == 403
    assert "déjà servi à signer pour un·e autre stagiaire" in response.content.decode()
    assert list(Signature.objects.values_list("enrolment_id", flat=True)) == [alice.pk]
    assert AuditLogEntry.objects.filter(action="refuse", summary__startswith="someone_else").exists()


def test_a_second_signature_from_another_phone_is_refused_and_the_first_kept(client, room):
    _session, _trainer, slot, alice, _bob = room
    location = _scan(client, slot)["Location"]
    _identify(client, location, alice)
    client.post(location, {"enrolment": alice.pk, "strokes": STROKES})
    first = Signature.objects.get()
    client.cookies.clear()
    location = _scan(client, slot)["Location"]
    _identify(client, location, alice)
    response = client.post(
        location,
        {
            "enrolment": alice.pk,
            "strokes": json.dumps({"width": 50, "height": 50, "strokes": [[[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]]}),
        },
    )
    assert response.status_code == 403
    assert "a déjà signé pour cette demi-journée" in response.content.decode()
    assert Signature.objects.get().strokes == first.strokes


def test_a_personal_link_signs_only_for_its_owner(client, room):
    _session, _trainer, slot, alice, bob = room
    token = services.make_signing_link_token(slot=slot, enrolment=alice)
    url = reverse("attendance:sign_link", args=[slot.pk, token])
    page = client.get(url)
    assert "Zoë Ñúñez-Łukasiewicz" in page.content.decode()
    refused = client.post(url, {"enrolment": bob.pk, "strokes": STROKES})
    assert refused.status_code == 403
    assert "ne permet pas de signer pour quelqu&#x27;un d&#x27;autre" in refused.content.decode()
    assert not Signature.objects.exists()
    assert client.post(url, {"enrolment": alice.pk, "strokes": STROKES}).status_code == 200
    assert Signature.objects.get().method == "personal_link"


def test_a_personal_link_outside_its_slot_says_when_signing_opens(client):
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    url = reverse(
        "attendance:sign_link", args=[slots[0].pk, services.make_signing_link_token(slot=slots[0], enrolment=enrolment)]
    )
    assert (
        "La signature n'est ouverte que pendant la demi-journée, de 08:45 à 12:45" in client.get(url).content.decode()
    )
    response = client.post(url, {"enrolment": enrolment.pk, "strokes": STROKES})
    assert response.status_code == 403
    assert "Cette demi-journée est terminée" in response.content.decode()
    assert not Signature.objects.exists()


def test_remote_trainees_each_receive_their_own_link(client, room, django_capture_on_commit_callbacks):
    _session, trainer, slot, alice, bob = room
    client.force_login(trainer.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("attendance:send_links", args=[slot.pk]))
    emails = OutboundEmail.objects.filter(category="attendance_signing_link").order_by("pk")
    assert [e.to for e in emails] == [[alice.email], [bob.email]]
    token = services.make_signing_link_token(slot=slot, enrolment=alice)
    assert "/attendance/sign/%d/" % slot.pk in emails[0].body_text and token.split(":")[0] in emails[0].body_text


def test_the_kiosk_lets_trainees_sign_one_after_the_other_on_the_trainer_device(client, room):
    _session, trainer, slot, alice, bob = room
    client.force_login(trainer.user)
    url = reverse("attendance:kiosk", args=[slot.pk])
    client.post(url, {"enrolment": alice.pk, "strokes": STROKES})
    client.post(url, {"enrolment": bob.pk, "strokes": STROKES})
    assert set(Signature.objects.values_list("method", flat=True)) == {"kiosk"}
    assert Signature.objects.count() == 2


def test_the_trainer_countersigns_from_the_room_page(client, room):
    _session, trainer, slot, _alice, _bob = room
    client.force_login(trainer.user)
    client.post(reverse("attendance:countersign", args=[slot.pk]), {"strokes": STROKES})
    assert Signature.objects.get(role="trainer").trainer == trainer
    page = client.get(reverse("attendance:slot", args=[slot.pk]))
    assert "Vous avez contre-signé cette demi-journée" in page.content.decode()


def test_the_trainer_records_a_late_arrival_in_local_time(client, room):
    _session, trainer, slot, alice, _bob = room
    client.force_login(trainer.user)
    arrival = slot.local_start.replace(second=0) + (slot.local_end - slot.local_start) / 4
    client.post(
        reverse("attendance:set_status", args=[slot.pk]),
        {"enrolment": alice.pk, "status": "late", "time": arrival.strftime("%H:%M")},
    )
    attendance = Attendance.objects.get(enrolment=alice)
    assert attendance.status == "late"
    assert attendance.arrived_at.astimezone(slot.course_session.tzinfo).strftime("%H:%M") == arrival.strftime("%H:%M")


@pytest.mark.parametrize(
    "days,labels",
    [
        ((datetime.date(2026, 3, 27), datetime.date(2026, 3, 30)), ("Vendredi 27 mars 2026", "Lundi 30 mars 2026")),
        (
            (datetime.date(2026, 10, 23), datetime.date(2026, 10, 26)),
            ("Vendredi 23 octobre 2026", "Lundi 26 octobre 2026"),
        ),
    ],
)
def test_fc03_the_attendance_sheet_shows_paris_hours_on_both_sides_of_the_clock_change(
    client, artefacts_dir, days, labels
):
    session, trainer, slots = two_day_session(*days)
    slots[0].content = "Les communs : définitions"
    slots[0].save()
    enrolment = trainee(session)
    for slot in slots:
        sign_slot(slot, enrolment, trainer)
    client.force_login(staff_planner(username="staff"))
    response = client.get(reverse("attendance:sheet_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    with open("%s/attendance-sheet-fc03-%s.pdf" % (artefacts_dir, days[0].isoformat()), "wb") as handle:
        handle.write(response.content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages).split())
    assert "Feuille d’émargement" in text and "Académie Exemple SAS" in text
    assert labels[0] in text and labels[1] in text
    assert text.count("Matin 09:00–12:30") == 2 and text.count("Après-midi 14:00–17:30") == 2
    assert "Les communs : définitions" in text
    assert "Zoë Ñúñez-Łukasiewicz" in text and str(trainer) in text
    assert "08:00" not in text and "10:00" not in text


def test_the_session_overview_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    session, trainer, slots = two_day_session()
    client.force_login(staff_planner(username="staff"))
    url = reverse("attendance:session", args=[session.pk])
    for index in range(2):
        sign_slot(slots[0], trainee(session, last_name="A%d" % index), trainer)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for index in range(2, 15):
        enrolment = trainee(session, last_name="A%d" % index)
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_a_trainer_lists_only_their_own_sessions(client, room):
    session, trainer, _slot, _alice, _bob = room
    other, _t, _s = session_happening_now()
    client.force_login(trainer.user)
    html = client.get(reverse("attendance:index")).content.decode()
    assert reverse("attendance:session", args=[session.pk]) in html
    assert reverse("attendance:session", args=[other.pk]) not in html
