import datetime

from django.utils import timezone

from academy.evaluation.models import Dispatch, Response
from academy.evaluation.personal_data import PROVIDER
from academy.evaluation.services import satisfaction_figure
from academy.privacy.registry import providers
from tests.factories.evaluation import answer_end_survey, session_with_slot


def _ended(seed_course):
    return session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(hours=5))


def test_the_provider_is_discovered_by_the_privacy_registry():
    assert PROVIDER in providers()


def test_export_gives_the_persons_answers_with_the_questionnaire_version(seed_course):
    response = answer_end_survey(_ended(seed_course), overall=4, comment="Très utile")
    data = PROVIDER.export(response.enrolment.email_normalised)
    (exported,) = data["responses"]
    assert exported["version"] == 1
    assert exported["course"] == seed_course.title
    assert {"question": "Recommanderiez-vous cette formation ?", "answer": "oui"} in exported["answers"]
    assert {
        "question": "Dans l’ensemble, quelle est votre satisfaction sur cette formation ?",
        "answer": "4",
    } in exported["answers"]


def test_export_of_an_unknown_person_is_empty(db):
    assert PROVIDER.export("personne@exemple.fr") == {}


def test_erasure_detaches_the_answers_and_keeps_the_public_counts(seed_course):
    course_session = _ended(seed_course)
    response = answer_end_survey(course_session, overall=3, comment="Je suis Zoë, de la société X")
    answer_end_survey(course_session, overall=5)
    Dispatch.objects.create(enrolment=response.enrolment, kind="end_of_course", sent_at=timezone.now())
    email = response.enrolment.email_normalised
    before = satisfaction_figure(course=seed_course)
    assert PROVIDER.erase(email) == 2
    response.refresh_from_db()
    assert response.enrolment is None and response.anonymised_at is not None
    assert response.answers.get(question__key="comments").value_text == ""
    assert PROVIDER.export(email) == {}
    assert not Dispatch.objects.exists()
    assert satisfaction_figure(course=seed_course) == before
    assert Response.objects.count() == 2
