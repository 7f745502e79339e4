"""The trainee's section of "my space": their own enrolments and certificates, nothing of other people."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from academy.certification.services import issue_certificate, read_download_token
from tests.attendance.helpers import two_day_session
from tests.factories.attendance import sign_slot
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import trainee_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee_world():
    """Zoë attended a masterclass (certificate issued) and is enrolled on a second course; Bruno too."""
    session, trainer, slots = two_day_session(title="Masterclass Communs numériques")
    zoe = EnrolmentFactory(booking__course_session=session, first_name="Zoë", email="Zoe@Exemple.fr")
    bruno = EnrolmentFactory(booking__course_session=session, first_name="Bruno", email="bruno@exemple.fr")
    for slot in slots:
        sign_slot(slot, zoe, trainer)
    certificate = issue_certificate(enrolment=zoe, send=False)
    other, _trainer, _slots = two_day_session(title="Atelier logiciels libres")
    EnrolmentFactory(booking__course_session=other, first_name="Zoë", email="zoe@exemple.fr")
    hidden, _trainer, _slots = two_day_session(title="Formation de Bruno seulement")
    EnrolmentFactory(booking__course_session=hidden, first_name="Bruno", email="bruno@exemple.fr")
    return {"zoe": zoe, "bruno": bruno, "certificate": certificate}


def test_a_trainee_sees_their_enrolments_with_dates_status_and_certificate(client, trainee_world):
    client.force_login(trainee_user(email="zoe@exemple.fr"))

    content = client.get(reverse("accounts:home")).content.decode()

    assert "Votre compte n’a pas encore de rôle" not in content and "pas encore de rôle" not in content
    assert "Mes formations" in content
    assert "Masterclass Communs numériques" in content and "Atelier logiciels libres" in content
    assert "<td>Confirmée</td>" in content
    tokens = re.findall(r"/certificates/download/([^/\"]+)/", content)
    assert len(tokens) == 1
    assert read_download_token(tokens[0]) == trainee_world["certificate"]


def test_a_trainee_sees_nothing_of_other_people(client, trainee_world):
    client.force_login(trainee_user(email="zoe@exemple.fr"))

    content = client.get(reverse("accounts:home")).content.decode()

    assert "Bruno" not in content and "Formation de Bruno seulement" not in content


def test_a_trainee_without_enrolment_is_told_so(client, trainee_world):
    client.force_login(trainee_user(email="personne@exemple.fr"))

    content = client.get(reverse("accounts:home")).content.decode()

    assert "Aucune inscription à votre adresse e-mail pour le moment." in content
