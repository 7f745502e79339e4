"""The client contact's section of "my space": their own organisation's trainees, and nothing else."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from academy.certification.services import issue_certificate, read_download_token
from academy.enrolment.models import Enrolment
from tests.attendance.helpers import two_day_session
from tests.factories.attendance import sign_slot
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import client_contact_user, staff_planner, trainer_user
from tests.factories.scheduling import CourseSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    """Two organisations on one inter-company session, plus a session run for the other one only.

    Ours has Zoë (three signed half-days, a certificate) and Anh (on the waiting list); theirs has
    Bruno on the shared session and Chloé on its own in-company session.
    """
    ours = ClientOrganisationFactory(name="Coopérative Ñandú")
    theirs = ClientOrganisationFactory(name="Autre Société")
    session, trainer, slots = two_day_session(title="Masterclass Communs numériques")
    zoe = EnrolmentFactory(
        booking__course_session=session,
        booking__client_organisation=ours,
        first_name="Zoë",
        last_name="Ñúñez-Łukasiewicz",
    )
    anh = EnrolmentFactory(
        booking__course_session=session,
        booking__client_organisation=ours,
        first_name="Nguyễn",
        last_name="Thị Ánh",
        status=Enrolment.Status.WAITING,
    )
    EnrolmentFactory(
        booking__course_session=session, booking__client_organisation=theirs, first_name="Bruno", last_name="Autre"
    )
    dedicated = CourseSessionFactory(course__title="Formation réservée à l'autre société", client_organisation=theirs)
    EnrolmentFactory(
        booking__course_session=dedicated, booking__client_organisation=theirs, first_name="Chloé", last_name="Ailleurs"
    )
    for slot in slots[:3]:
        sign_slot(slot, zoe, trainer)
    certificate = issue_certificate(enrolment=zoe, send=False)
    return {"ours": ours, "session": session, "zoe": zoe, "anh": anh, "certificate": certificate}


def test_a_client_contact_sees_their_trainees_with_status_hours_and_certificate(client, organisations):
    client.force_login(client_contact_user(client_organisation=organisations["ours"]))

    response = client.get(reverse("accounts:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Stagiaires de Coopérative Ñandú" in html
    assert "Masterclass Communs numériques" in html
    assert "Zoë Ñúñez-Łukasiewicz" in html and "Nguyễn Thị Ánh" in html
    assert "<td>Confirmée</td>" in html
    assert "<td>10,50</td>" in html
    links = re.findall(r'href="([^"]*/download/([^/"]+)/)"', html)
    assert [read_download_token(token) for _href, token in links] == [organisations["certificate"]]


def test_a_client_contact_sees_nothing_of_another_organisation(client, organisations):
    client.force_login(client_contact_user(client_organisation=organisations["ours"]))

    html = client.get(reverse("accounts:home")).content.decode()

    assert "Bruno" not in html
    assert "Chloé" not in html
    assert "Formation réservée à l'autre société" not in html


def test_a_client_contact_without_trainees_is_told_so_in_english_too(client, organisations):
    client.force_login(client_contact_user(client_organisation=ClientOrganisationFactory(name="Nouvelle SCOP")))

    french = client.get(reverse("accounts:home")).content.decode()
    with translation.override("en"):
        english = client.get(reverse("accounts:home")).content.decode()

    assert "Votre organisation n’a encore inscrit aucun stagiaire." in french
    assert "Trainees of Nouvelle SCOP" in english
    assert "Your organisation has no trainee enrolled yet." in english
    assert "Zoë" not in french and "Zoë" not in english


def test_other_roles_get_no_client_contact_section(client, organisations):
    for user in (staff_planner(), trainer_user()):
        client.force_login(user)
        html = client.get(reverse("accounts:home")).content.decode()
        assert 'id="organisation-trainees"' not in html
        assert "Nguyễn Thị Ánh" not in html


def test_the_client_contact_section_runs_a_bounded_number_of_queries(
    client, organisations, django_assert_max_num_queries
):
    client.force_login(client_contact_user(client_organisation=organisations["ours"]))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("accounts:home")).status_code == 200
