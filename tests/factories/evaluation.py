"""Helpers to build evaluation data: sessions at a given time, stored responses."""

import datetime

from django.utils import timezone

from academy.enrolment.models import Enrolment
from academy.evaluation.models import Answer, Response
from academy.evaluation.services import OVERALL_KEY, RECOMMEND_KEY, current_questionnaire, submit_response

from .enrolment import BookingFactory, EnrolmentFactory
from .scheduling import CourseSessionFactory, SessionSlotFactory


def session_with_slot(*, course=None, starts_at=None, hours=3.5, **kwargs):
    """A session with one slot starting at ``starts_at`` (default: tomorrow)."""
    starts_at = starts_at or timezone.now() + datetime.timedelta(days=1)
    course_session = CourseSessionFactory(**({"course": course} if course else {}), **kwargs)
    SessionSlotFactory(
        course_session=course_session, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours)
    )
    return course_session


def end_survey_answers(enrolment, *, overall=5, recommend=True, comment="", each=4) -> dict:
    """Raw answers ``{question_id: value}`` to the current end-of-course survey of the enrolment's course."""
    questionnaire = current_questionnaire(course=enrolment.course_session.course, kind="end_of_course")
    answers = {}
    for question in questionnaire.questions.all():
        if question.key == OVERALL_KEY:
            answers[question.pk] = overall
        elif question.key == RECOMMEND_KEY:
            answers[question.pk] = recommend
        elif question.kind == "score":
            answers[question.pk] = each
        elif question.kind == "text":
            answers[question.pk] = comment
    return answers


def positioning_answers(enrolment, kind="positioning_before", level=1) -> dict:
    questionnaire = current_questionnaire(course=enrolment.course_session.course, kind=kind)
    return {question.pk: level for question in questionnaire.questions.all()}


def answer_end_survey(course_session, *, overall=5, recommend=True, at=None, comment=""):
    """A new confirmed trainee of ``course_session`` answering the end-of-course survey at ``at``."""
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    return submit_response(
        enrolment=enrolment,
        kind="end_of_course",
        now=at or timezone.now(),
        enforce_window=False,
        answers=end_survey_answers(enrolment, overall=overall, recommend=recommend, comment=comment),
    ).response


def bulk_end_survey(course_session, scores_and_recommends, *, at=None):
    """Bulk-create end-of-course responses (one trainee each): ``[(overall, recommend), …]``."""
    questionnaire = current_questionnaire(course=course_session.course, kind="end_of_course")
    questions = {q.key: q for q in questionnaire.questions.all()}
    at = at or timezone.now()
    booking = BookingFactory(course_session=course_session)
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                course_session=course_session,
                booking=booking,
                first_name="Stagiaire",
                last_name="N%d" % i,
                email="bulk%d-%d@exemple.fr" % (booking.pk, i),
                email_normalised="bulk%d-%d@exemple.fr" % (booking.pk, i),
                status=Enrolment.Status.CONFIRMED,
                confirmed_at=at,
            )
            for i in range(len(scores_and_recommends))
        ],
        batch_size=2000,
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                questionnaire=questionnaire,
                kind="end_of_course",
                course_session=course_session,
                enrolment=e,
                submitted_at=at,
            )
            for e in enrolments
        ],
        batch_size=2000,
    )
    answers = []
    for response, (overall, recommend) in zip(responses, scores_and_recommends, strict=False):
        answers.append(Answer(response=response, question=questions[OVERALL_KEY], value_int=overall))
        answers.append(Answer(response=response, question=questions[RECOMMEND_KEY], value_bool=recommend))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return responses
