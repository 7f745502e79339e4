"""Client organisation and trainer questionnaires through the evaluation engine (Qualiopi indicator 30)."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.core.models import OutboundEmail
from academy.evaluation.exceptions import NotEligible
from academy.evaluation.models import Response
from academy.evaluation.services import current_questionnaire
from academy.evaluation.stakeholders import send_stakeholder_questionnaires, submit_stakeholder_response
from tests.factories.core import ClientOrganisationFactory, TrainingOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import session_with_slot
from tests.factories.privacy import staff_planner, trainer_user
from tests.factories.scheduling import TrainerFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(https?://\S+/evaluation/feedback/\S+/)")


def ended_session():
    TrainingOrganisationFactory()
    session = session_with_slot(starts_at=timezone.now() - datetime.timedelta(days=2))
    EnrolmentFactory(
        booking__course_session=session,
        booking__client_organisation=ClientOrganisationFactory(name="Coopérative des Communs"),
        booking__contact_email="rh@coop.exemple",
    )
    session.trainers.add(TrainerFactory(email="camille@academie.exemple"))
    return session


def test_the_client_and_the_trainer_get_their_link_and_answer_once(client):
    session = ended_session()
    assert send_stakeholder_questionnaires(course_session=session) == 2
    email = OutboundEmail.objects.get(to=["rh@coop.exemple"])
    path = urlsplit(LINK.search(email.body_text).group(1)).path
    page = client.get(path)
    assert page.status_code == 200 and "Coopérative des Communs" in page.content.decode()
    questionnaire = current_questionnaire(course=session.course, kind="client_feedback")
    data = {}
    for question in questionnaire.questions.all():
        data["q%d" % question.pk] = {"score": "4", "yes_no": "yes", "text": "Très bien"}[question.kind]
    assert client.post(path, data).status_code == 302
    assert client.post(path, data).status_code == 200  # the first answers stay
    response = Response.objects.get(kind="client_feedback")
    assert response.course_session == session and response.enrolment is None
    assert response.respondent.startswith("organisation:")
    assert send_stakeholder_questionnaires(course_session=session) == 1  # only the trainer is left


def test_no_feedback_is_asked_before_the_session_has_taken_place():
    TrainingOrganisationFactory()
    session = session_with_slot(starts_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(NotEligible):
        send_stakeholder_questionnaires(course_session=session)
    with pytest.raises(NotEligible):
        submit_stakeholder_response(course_session=session, kind="trainer_report", respondent="trainer:1", answers={})


def test_a_forged_feedback_link_opens_nothing(client):
    page = client.get(reverse("evaluation:stakeholder_answer", kwargs={"token": "forged.token"}))
    assert page.status_code == 200 and b"data-stakeholder-form" not in page.content


def test_the_session_evidence_page_runs_a_bounded_number_of_queries(seed_course, django_assert_max_num_queries):
    from .quality_world import complete_session

    world = complete_session(seed_course)
    client = Client()
    client.force_login(staff_planner(username="other-planner"))
    url = reverse("compliance:session_quality", args=[world.course_session.pk])
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    for index in range(8):
        EnrolmentFactory(booking__course_session=world.course_session, last_name="Ajout %d" % index)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_trainer_writes_the_session_report_from_the_attendance_page():
    session = ended_session()
    user = trainer_user(username="camille-formatrice")
    session.trainers.add(user.trainer)
    browser = Client()
    browser.force_login(user)
    overview = browser.get(reverse("attendance:session", kwargs={"session_id": session.pk})).content.decode()
    report_url = reverse("evaluation:trainer_report", kwargs={"pk": session.pk})
    assert report_url in overview
    form = browser.get(report_url, follow=True)
    assert form.status_code == 200 and b"data-stakeholder-form" in form.content
    questionnaire = current_questionnaire(course=session.course, kind="trainer_report")
    data = {}
    for question in questionnaire.questions.all():
        data["q%d" % question.pk] = {"score": "4", "yes_no": "yes", "text": "Groupe attentif", "level": "3"}[
            question.kind
        ]
    assert browser.post(form.redirect_chain[-1][0], data).status_code == 302
    response = Response.objects.get(kind="trainer_report")
    assert response.respondent == "trainer:%d" % user.trainer.pk
    # Another trainer of the platform, not on this session, has no report to write here.
    other = trainer_user(username="autre-formateur")
    intruder = Client()
    intruder.force_login(other)
    assert intruder.get(report_url).status_code == 404
