"""Pages as people see them: the trainer's room page does not clip its controls, an empty signature
is explained in words, and key staff pages and e-mails are kept as screenshots in both languages."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from academy.attendance import services
from academy.core.models import OutboundEmail
from academy.privacy.views import person_token
from tests.attendance.helpers import session_happening_now, trainee
from tests.enrolment.helpers import enrol_people, open_session
from tests.enrolment.helpers import trainee as trainee_details
from tests.factories.privacy import staff_admin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _inside(page, selector: str, container: str) -> bool:
    """True when ``selector`` lies wholly inside ``container``'s box and nothing covers its centre."""
    return page.evaluate(
        """([selector, container]) => {
          const el = document.querySelector(selector), box = el.closest(container);
          const r = el.getBoundingClientRect(), c = box.getBoundingClientRect();
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          const top = document.elementFromPoint(x, y);
          return r.left >= c.left && r.right <= c.right && (top === el || el.contains(top));
        }""",
        [selector, container],
    )


@pytest.mark.parametrize("width", [1280, 1024, 390])
def test_the_trainer_room_page_shows_every_status_control_and_save_button(page, live_server, screenshot, width):
    course_session, trainer, slot = session_happening_now()
    trainer.user = get_user_model().objects.create_user("formatrice", password="x" * 14)
    trainer.save()
    trainee(course_session, first_name="Zoë", last_name="Ñúñez-Łukasiewicz de la Fontaine-Saint-Exupéry")
    _log_in(page.context, live_server, trainer.user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("attendance:slot", args=[slot.pk]))
    for selector in (".status-form select", ".status-form input[name=time]", ".status-form button"):
        page.locator(selector).first.scroll_into_view_if_needed()
        assert _inside(page, selector, ".card"), (width, selector)
    screenshot(page, "room-%d" % width)


def test_an_empty_signature_is_explained_in_words(page, screenshot):
    course_session, _trainer, slot = session_happening_now()
    zoe = trainee(course_session)
    page.goto(
        reverse("attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=zoe)])
    )
    message = page.locator("[data-signature-missing]")
    assert not message.is_visible()
    page.get_by_role("button", name="Signer").click()
    message.wait_for(state="visible")
    assert "La zone de signature est vide" in message.inner_text()
    screenshot(page, "signature-empty")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_screenshots_of_staff_pages_and_a_branded_email(page, live_server, screenshot, artefacts_dir, language):
    course_session = open_session()
    enrol_people(course_session, trainee_details(1), trainee_details(2))
    admin = staff_admin()
    _log_in(page.context, live_server, admin)
    prefix = "" if language == "fr" else "/en"
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    pages = {
        "planning": prefix + reverse("enrolment:planning"),
        "person": prefix + reverse("privacy:person", kwargs={"token": person_token("trainee1@exemple.fr")}),
        "outbox": reverse("core:outbox"),
        "admin": reverse("admin:index"),
        "admin-past-satisfaction": reverse("admin:evaluation_pastsatisfaction_add"),
        "admin-enrolments": reverse("admin:enrolment_enrolment_changelist"),
    }
    for name, url in pages.items():
        assert page.goto(url).status == 200, url
        screenshot(page, "staff-%s-%s" % (name, language))
        if language == "fr" and name.startswith("admin-"):
            text = page.locator("body").inner_text()
            assert not any(word in text for word in ("Course", "Enrolment", "Client organisation", "Score count")), name
    email = OutboundEmail.objects.filter(category="enrolment.booking_received").first()
    # A blank page, as a mail client shows it (the site's Content Security Policy does not apply).
    mail = page.context.new_page()
    mail.set_content(email.body_html)
    assert mail.locator(".email-head").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 61, 102)"
    screenshot(mail, "email-booking-%s" % language)
    mail.close()
    assert os.path.exists(os.path.join(artefacts_dir, "screenshots", "staff-person-%s.png" % language))
