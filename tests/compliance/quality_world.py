"""A complete session of the seed course, with every record the Qualiopi evidence reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from academy.attendance.engagement import close_follow_up, detect_absences
from academy.catalog.models import Course, CourseResource
from academy.certification.services import issue_certificate
from academy.compliance.models import WatchEntry
from academy.compliance.quality.complaints import (
    answer_complaint,
    close_complaint,
    create_improvement_action,
    file_complaint,
)
from academy.core.models import TrainingOrganisation
from academy.enrolment.services.quality import record_adaptation
from academy.evaluation.services import current_questionnaire, submit_response
from academy.evaluation.stakeholders import expected_respondents, submit_stakeholder_response
from academy.scheduling.models import Trainer, TrainerTraining
from tests.factories.attendance import sign_slot
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import BookingFactory, EnrolmentFactory
from tests.factories.evaluation import end_survey_answers, positioning_answers
from tests.factories.privacy import staff_planner
from tests.factories.scheduling import CourseSessionFactory, TrainerFactory, add_day

TRAINEE_NAME = ("Zoë", "Ñúñez-Łukasiewicz")


@dataclass
class QualityWorld:
    course_session: object
    trainer: object
    enrolments: list
    staff: object
    complaint: object
    action: object
    certificates: list


def complete_organisation() -> TrainingOrganisation:
    """The seed organisation with its legal identity and accessibility referent filled in."""
    organisation = TrainingOrganisation.current()
    if organisation.pk is None:
        organisation.save()
    TrainingOrganisation.objects.filter(pk=organisation.pk).update(
        legal_name="OCTO Academy SAS",
        siret="12345678900017",
        declaration_number="11755555575",
        legal_representative="Claire Martin",
        legal_representative_title="Présidente",
        address="34 avenue de l'Opéra\n75002 Paris",
        accessibility_referent_name="Inès Durand",
        accessibility_referent_email="handicap@academie.exemple",
    )
    return TrainingOrganisation.current()


def answers_for(course_session, kind: str, *, score=4) -> dict:
    questionnaire = current_questionnaire(course=course_session.course, kind=kind)
    answers = {}
    for question in questionnaire.questions.all():
        answers[question.pk] = {"score": score, "yes_no": True, "text": "Très bonne session", "level": 3}[question.kind]
    return answers


def complete_session(course: Course, *, client_feedback: bool = True, days_ago: int = 7) -> QualityWorld:
    """Build a finished session of ``course`` holding every piece of evidence, except the client's
    feedback when ``client_feedback`` is False."""
    complete_organisation()
    staff = staff_planner()
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    course_session = CourseSessionFactory(
        course=course, joining_instructions="Salle Alan Turing, 2e étage ; apportez un ordinateur portable."
    )
    slots = add_day(course_session, day)
    trainer = TrainerFactory(
        first_name="Camille",
        last_name="Durand",
        employment=Trainer.Employment.EXTERNAL,
        skills="Communs numériques, logiciel libre, gouvernance ouverte",
        qualifications="Master en sciences politiques ; 10 ans d'animation de communautés",
        cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 CV", content_type="application/pdf"),
        subcontracting_agreement=SimpleUploadedFile("contrat.pdf", b"%PDF-1.4 contrat", content_type="application/pdf"),
        subcontracting_agreement_signed_on=day - datetime.timedelta(days=30),
    )
    TrainerTraining.objects.create(
        trainer=trainer,
        title="Former en pédagogie active",
        provider="Organisme Exemple",
        completed_on=day - datetime.timedelta(days=200),
    )
    course_session.trainers.add(trainer)
    CourseResource.objects.get_or_create(
        course=course,
        title="Support de la masterclass",
        defaults={"kind": CourseResource.Kind.SLIDES, "url": "https://academie.exemple/support"},
    )
    organisation = ClientOrganisationFactory(name="Coopérative des Communs")
    booking = BookingFactory(
        course_session=course_session, client_organisation=organisation, contact_email="rh@coop.exemple"
    )
    sent = timezone.now() - datetime.timedelta(days=days_ago + 3)
    first = EnrolmentFactory(
        booking=booking,
        first_name=TRAINEE_NAME[0],
        last_name=TRAINEE_NAME[1],
        email="zoe@coop.exemple",
        work_context="Cheffe de projet numérique dans une collectivité",
        expectations="Savoir monter un projet de commun avec d'autres collectivités",
        accessibility_needs="Malentendante : besoin des supports écrits à l'avance",
        joining_instructions_sent_at=sent,
    )
    second = EnrolmentFactory(
        booking=booking,
        first_name="Léon",
        last_name="Martin",
        email="leon@coop.exemple",
        work_context="Développeur dans une PME",
        expectations="Comprendre les licences libres",
        joining_instructions_sent_at=sent,
    )
    record_adaptation(
        enrolment=first,
        requested="Malentendante : besoin des supports écrits à l'avance",
        decision="Supports envoyés 3 jours avant ; le formateur parle face au groupe.",
        by=staff,
    )
    for enrolment in (first, second):
        submit_response(
            enrolment=enrolment,
            kind="positioning_before",
            answers=positioning_answers(enrolment, level=1),
            now=slots[0].starts_at - datetime.timedelta(days=2),
            enforce_window=False,
        )
    sign_slot(slots[0], first, trainer)
    sign_slot(slots[1], first, trainer)
    sign_slot(slots[0], second, trainer)  # absent in the afternoon: countersigned without their signature
    for follow_up in detect_absences(course_session=course_session):
        close_follow_up(
            follow_up=follow_up, outcome="Appelé le lendemain : rendez-vous médical ; supports envoyés.", by=staff
        )
    after = slots[1].ends_at + datetime.timedelta(minutes=5)
    submit_response(
        enrolment=first,
        kind="positioning_after",
        answers=positioning_answers(first, "positioning_after", level=3),
        now=after,
        enforce_window=False,
    )
    submit_response(
        enrolment=second,
        kind="positioning_after",
        answers=positioning_answers(second, "positioning_after", level=2),
        now=after,
        enforce_window=False,
    )
    for enrolment in (first, second):
        submit_response(
            enrolment=enrolment,
            kind="end_of_course",
            answers=end_survey_answers(enrolment),
            now=after,
            enforce_window=False,
        )
    if client_feedback:
        for respondent in expected_respondents(course_session, "client_feedback"):
            submit_stakeholder_response(
                course_session=course_session,
                kind="client_feedback",
                respondent=respondent.key,
                answers=answers_for(course_session, "client_feedback"),
            )
    for respondent in expected_respondents(course_session, "trainer_report"):
        submit_stakeholder_response(
            course_session=course_session,
            kind="trainer_report",
            respondent=respondent.key,
            answers=answers_for(course_session, "trainer_report"),
        )
    for kind in WatchEntry.Kind.values:
        WatchEntry.objects.create(
            kind=kind,
            noted_on=day - datetime.timedelta(days=20),
            title="Veille %s" % kind,
            source="Centre Inffo",
            action_led_to="Programme mis à jour",
        )
    complaint = file_complaint(
        source="trainee",
        name="Léon Martin",
        email="leon@coop.exemple",
        subject="Salle trop bruyante",
        description="Travaux dans le bâtiment l'après-midi.",
        course_session=course_session,
    )
    answer_complaint(complaint=complaint, answer="Nous changeons de salle pour les prochaines sessions.", by=staff)
    complaint = close_complaint(complaint=complaint, by=staff)
    action = create_improvement_action(
        title="Réserver une salle au calme",
        cause="complaint",
        complaint=complaint,
        course_session=course_session,
        owner=staff,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        by=staff,
    )
    certificates = [issue_certificate(enrolment=e, send=False) for e in (first, second)]
    return QualityWorld(course_session, trainer, [first, second], staff, complaint, action, certificates)
