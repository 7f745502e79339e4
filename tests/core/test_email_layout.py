"""E-mails carry the organisation's identity in a shared HTML layout beside their text part, and
their subject says what happened (a confirmed seat is "confirmed", not "requested")."""

from __future__ import annotations

import pytest

from academy.core.models import OutboundEmail, TrainingOrganisation
from academy.core.notifications import render_event
from tests.enrolment.helpers import enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


def _identity():
    from tests.factories.core import TrainingOrganisationFactory

    if not TrainingOrganisation.objects.exists():
        TrainingOrganisationFactory()
    TrainingOrganisation.objects.update(
        name="Académie Exemple", email="bonjour@exemple.fr", phone="01 23 45 67 89", siret="12345678900015"
    )


def test_an_email_without_its_own_html_is_laid_out_in_the_branded_html_with_its_text_escaped():
    _identity()
    rendered = render_event(
        "attendance.signing_link",
        context={
            "name": "Inès <b>",
            "course": "Les communs numériques",
            "date": "30/03/2027",
            "start": "09:00",
            "end": "12:30",
            "url": "https://exemple.fr/attendance/sign/1/abc/",
        },
        language="fr",
    )
    text, html = rendered["body_text"], rendered["body_html"]
    assert "feuille d’émargement des communs numériques" in text  # elision and contraction
    assert "Bonjour Inès <b>," in text
    assert "Bonjour Inès &lt;b&gt;," in html and "<b>," not in html
    assert '<a href="https://exemple.fr/attendance/sign/1/abc/"' in html
    assert "Académie Exemple" in html and "bonjour@exemple.fr" in html and "SIRET 12345678900015" in html
    assert "background:#0b3d66" in html  # the shared design tokens, inlined


def test_the_booking_email_says_confirmed_when_every_seat_is_confirmed_and_request_when_waiting():
    confirmed_session = open_session()
    _identity()
    enrol_people(confirmed_session, trainee(1))
    confirmed = OutboundEmail.objects.get(category="enrolment.booking_received")
    assert confirmed.subject.startswith("Inscription confirmée : ")
    assert "Votre inscription est confirmée pour :" in confirmed.body_text
    assert confirmed.body_html and "Académie Exemple" in confirmed.body_html

    full_session = open_session(capacity_seats=1)
    OutboundEmail.objects.all().delete()
    enrol_people(full_session, trainee(2))
    enrol_people(full_session, trainee(3), organisation_name="Autre")
    subjects = sorted(
        OutboundEmail.objects.filter(category="enrolment.booking_received").values_list("subject", flat=True)
    )
    assert any(s.startswith("Votre demande d’inscription") for s in subjects), subjects
