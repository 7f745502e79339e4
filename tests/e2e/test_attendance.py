"""In the room: the trainer shows the QR page, a trainee signs through their link on a phone, the
trainer countersigns; the certificate then holds the trainee's exact name and the signed hours only."""

from __future__ import annotations

import datetime
import os
import subprocess
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from academy.attendance import services
from academy.attendance.models import Signature
from academy.certification.services import download_token, issue_certificate
from academy.core.models import TrainingOrganisation
from tests.attendance.helpers import session_happening_now, trainee
from tests.clock import Clock
from tests.e2e.browser import wait_for_js
from tests.factories.scheduling import SessionSlotFactory

pytestmark = pytest.mark.e2e


def _log_in(context, live_server, user) -> None:
    """Give the browser context the session cookie of ``user`` (no login page needed)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _draw(page, canvas_selector: str) -> None:
    """Draw a zig-zag signature with mouse events on the canvas."""
    box = page.locator(canvas_selector).bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.5
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x0 + step * box["width"] * 0.09, y0 + (-1) ** step * box["height"] * 0.25, steps=4)
    page.mouse.up()


def test_trainer_qr_page_trainee_signs_by_link_trainer_countersigns_certificate_shows_signed_hours(
    page, browser, live_server, seed_course, screenshot, artefacts_dir, settings
):
    course_session, trainer, slot = session_happening_now(course=seed_course, minutes_before=30, minutes_after=180)
    yesterday = SessionSlotFactory(
        course_session=course_session,
        starts_at=slot.starts_at - datetime.timedelta(days=1),
        ends_at=slot.ends_at - datetime.timedelta(days=1),
    )
    trainer.user = get_user_model().objects.create_user("formatrice", password="x" * 14)
    trainer.save()
    zoe = trainee(course_session, first_name="Zoë", last_name="Ñúñez-Łukasiewicz")
    trainee(course_session, first_name="Nguyễn", last_name="Thị Ánh")

    # The trainer opens the room page: the QR code is served and rotates.
    _log_in(page.context, live_server, trainer.user)
    page.goto(reverse("attendance:slot", args=[slot.pk]))
    qr = page.locator("img[data-room-qr]")
    qr.wait_for()
    wait_for_js(page, "document.querySelector('img[data-room-qr]').naturalWidth > 0")
    assert page.locator("text=Scannez pour signer").is_visible()
    screenshot(page, "attendance-01-trainer-room")

    # A trainee signs through their personal link on a phone-sized screen.
    phone = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        user_agent="Mozilla/5.0 (Linux; Android 14) Mobile",
    )
    mobile = phone.new_page()
    mobile.goto(
        reverse("attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=zoe)])
    )
    assert mobile.locator(".signer-name").inner_text() == "Zoë Ñúñez-Łukasiewicz"
    _draw(mobile, "canvas.signature-canvas")
    screenshot(mobile, "attendance-02-trainee-signing")
    mobile.get_by_role("button", name="Signer").click()
    mobile.locator("text=votre signature pour cette demi-journée est enregistrée").wait_for()
    screenshot(mobile, "attendance-03-trainee-signed")
    signature = Signature.objects.get(slot=slot, enrolment=zoe)
    assert signature.method == "personal_link" and "Android" in signature.user_agent
    assert sum(len(stroke) for stroke in signature.strokes["strokes"]) >= 9
    phone.close()

    # The trainer countersigns the half-day.
    page.reload()
    assert page.locator("tr[data-enrolment='%d'] .signed" % zoe.pk).is_visible()
    _draw(page, ".countersign canvas.signature-canvas")
    page.get_by_role("button", name="Contre-signer").click()
    page.locator("text=Vous avez contre-signé cette demi-journée").first.wait_for()
    wait_for_js(page, "document.querySelector('img[data-room-qr]').naturalWidth > 0")
    screenshot(page, "attendance-04-trainer-countersigned")
    assert Signature.objects.filter(slot=slot, role="trainer", trainer=trainer).exists()
    assert not Signature.objects.filter(slot=yesterday).exists()

    # The certificate, downloaded through the trainee's link, holds the exact name and 3.5 h only.
    # Certificates exist only once the session is over and the organisation's identity is complete.
    TrainingOrganisation.objects.update(
        legal_representative="Camille Martin", siret="12345678900015", declaration_number="11759999975"
    )
    clock = Clock()
    clock.at(slot.ends_at + datetime.timedelta(minutes=1))
    try:
        certificate = issue_certificate(enrolment=zoe, send=False)
    finally:
        clock.back_to_now()
    response = page.request.get(live_server.url + reverse("certification:download", args=[download_token(certificate)]))
    assert response.status == 200
    pdf = response.body()
    path = os.path.join(artefacts_dir, "e2e-certificate.pdf")
    with open(path, "wb") as handle:
        handle.write(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", path, os.path.join(artefacts_dir, "e2e-certificate")], check=False)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert "Zoë Ñúñez-Łukasiewicz" in text
    assert seed_course.title in text
    assert "3,5 heures" in text and "7 heures" not in text

    # Its public verification page says it is valid.
    page.goto(reverse("certification:verify", args=[certificate.public_id]))
    assert page.locator(".verdict-valid").inner_text() == "Ce certificat est valide."
    screenshot(page, "attendance-05-verification")


def test_room_code_phone_identifies_by_email_and_cannot_sign_for_another_trainee(browser, live_server, screenshot):
    course_session, _trainer, slot = session_happening_now()
    zoe = trainee(course_session, first_name="Zoë", last_name="Ñúñez-Łukasiewicz", email="zoe.nunez@exemple.fr")
    anh = trainee(course_session, first_name="Nguyễn", last_name="Thị Ánh", email="anh.nguyen@exemple.fr")
    phone = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    mobile = phone.new_page()
    mobile.set_default_timeout(15000)

    mobile.goto(reverse("attendance:scan", args=[slot.pk, services.make_qr_token(slot=slot)]))
    body = mobile.locator("main").inner_text()
    assert "Ñúñez" not in body and "Thị Ánh" not in body
    mobile.get_by_label("Votre adresse e-mail").fill("Zoe.Nunez@exemple.fr")
    _draw(mobile, "canvas.signature-canvas")
    screenshot(mobile, "attendance-06-room-code-identify")
    mobile.get_by_role("button", name="Signer").click()
    mobile.locator("text=votre signature pour cette demi-journée est enregistrée").wait_for()
    assert Signature.objects.get(slot=slot).enrolment == zoe

    # The same phone, given another trainee's address, is refused.
    mobile.goto(reverse("attendance:scan", args=[slot.pk, services.make_qr_token(slot=slot)]))
    assert mobile.locator("p.message.success").is_visible()
    assert mobile.locator("input[name='email']").count() == 0
    mobile.goto(
        reverse("attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=anh)])
    )
    _draw(mobile, "canvas.signature-canvas")
    mobile.get_by_role("button", name="Signer").click()
    mobile.locator("text=Cet appareil a déjà servi à signer pour un·e autre stagiaire de cette session.").wait_for()
    screenshot(mobile, "attendance-07-room-code-refused")
    assert list(Signature.objects.values_list("enrolment_id", flat=True)) == [zoe.pk]
    phone.close()
