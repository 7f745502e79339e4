"""Questionnaires: their default questions, the current version of a course's, freezing an answered one."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.catalog.models import Course

from ..models import Answer, Question, Questionnaire, QuestionnaireKind, Response

Kind = QuestionnaireKind

#: The default level scale of self-positioning (0 to 4).
POSITIONING_LEVELS = [
    gettext_lazy("I do not know it"),
    gettext_lazy("I have heard of it"),
    gettext_lazy("I understand it"),
    gettext_lazy("I can apply it"),
    gettext_lazy("I master it and can pass it on"),
]

#: Keys of the end-of-course survey's rated items, in order, with their wording.
SATISFACTION_ITEMS = [
    ("content", gettext_lazy("Content of the course")),
    ("trainer", gettext_lazy("Trainer")),
    ("organisation", gettext_lazy("Organisation (information, venue or remote set-up)")),
    ("pace", gettext_lazy("Pace")),
    ("materials", gettext_lazy("Course materials")),
]

OVERALL_KEY = "overall"
RECOMMEND_KEY = "recommend"
COMMENTS_KEY = "comments"
#: Overall scores counted as "satisfied" in the organisation indicators.
SATISFIED_MIN_SCORE = 4


# --- Questionnaires ---------------------------------------------------------------------------


def _default_title(kind: str, course: Course) -> str:
    titles = {
        Kind.POSITIONING_BEFORE: _("Self-positioning before the course: %(title)s"),
        Kind.POSITIONING_AFTER: _("Self-positioning after the course: %(title)s"),
        Kind.END_OF_COURSE: _("End-of-course survey: %(title)s"),
        Kind.FOLLOW_UP: _("Follow-up survey: %(title)s"),
        Kind.CLIENT_FEEDBACK: _("Client organisation questionnaire: %(title)s"),
        Kind.TRAINER_REPORT: _("Trainer's session report: %(title)s"),
    }
    return titles[kind] % {"title": course.title}


def _default_questions(kind: str, course: Course) -> list[Question]:
    if kind in (Kind.POSITIONING_BEFORE, Kind.POSITIONING_AFTER):
        labels = [str(label) for label in POSITIONING_LEVELS]
        return [
            Question(
                position=i,
                kind=Question.Kind.LEVEL,
                text=objective.text,
                learning_objective=objective,
                key="objective-%s" % objective.pk,
                scale_labels=labels,
            )
            for i, objective in enumerate(course.objectives.all())
        ]
    if kind == Kind.END_OF_COURSE:
        questions = [
            Question(
                kind=Question.Kind.SCORE, key=OVERALL_KEY, text=_("Overall, how satisfied are you with this course?")
            )
        ]
        questions += [Question(kind=Question.Kind.SCORE, key=key, text=str(text)) for key, text in SATISFACTION_ITEMS]
        questions += [
            Question(kind=Question.Kind.YES_NO, key=RECOMMEND_KEY, text=_("Would you recommend this course?")),
            Question(
                kind=Question.Kind.TEXT,
                key=COMMENTS_KEY,
                required=False,
                text=_("What would you like to tell us (what you liked, what could be better)?"),
            ),
        ]
    elif kind == Kind.CLIENT_FEEDBACK:
        questions = [
            Question(
                kind=Question.Kind.SCORE,
                key=OVERALL_KEY,
                text=_("Overall, how satisfied is your organisation with this course?"),
            ),
            Question(
                kind=Question.Kind.SCORE,
                key="need_met",
                text=_("Did the course meet the need you expressed (1 = not at all, 5 = fully)?"),
            ),
            Question(
                kind=Question.Kind.SCORE,
                key="organisation",
                text=_("How satisfied are you with the organisation (quote, agreement, documents, invoicing)?"),
            ),
            Question(kind=Question.Kind.YES_NO, key=RECOMMEND_KEY, text=_("Would you work with us again?")),
            Question(
                kind=Question.Kind.TEXT,
                key=COMMENTS_KEY,
                required=False,
                text=_("What should we improve?"),
            ),
        ]
    elif kind == Kind.TRAINER_REPORT:
        questions = [
            Question(
                kind=Question.Kind.SCORE,
                key="objectives_reached",
                text=_("How far did the group reach the course objectives (1 = not at all, 5 = fully)?"),
            ),
            Question(
                kind=Question.Kind.SCORE,
                key="conditions",
                text=_("How were the material conditions (room or remote set-up, equipment)?"),
            ),
            Question(
                kind=Question.Kind.TEXT,
                key="incidents",
                required=False,
                text=_("Incidents, absences or difficulties during the session"),
            ),
            Question(
                kind=Question.Kind.TEXT,
                key="adaptations",
                required=False,
                text=_("Adaptations made for the group or for a trainee"),
            ),
            Question(
                kind=Question.Kind.TEXT,
                key=COMMENTS_KEY,
                required=False,
                text=_("What should change in the course or its organisation?"),
            ),
        ]
    else:
        questions = [
            Question(
                kind=Question.Kind.YES_NO, key="use_at_work", text=_("Have you used what you learnt in your work?")
            ),
            Question(
                kind=Question.Kind.SCORE,
                key="impact",
                text=_("How much has the course changed the way you work (1 = not at all, 5 = a lot)?"),
            ),
            Question(
                kind=Question.Kind.TEXT,
                key=COMMENTS_KEY,
                required=False,
                text=_("Tell us how you have used it, or what held you back."),
            ),
        ]
    for position, question in enumerate(questions):
        question.position = position
    return questions


def current_questionnaire(*, course: Course, kind: str) -> Questionnaire:
    """Return the current questionnaire of ``kind`` for ``course``, building the default one if none.

    Self-positioning (before and after) has one level question per learning objective of the
    course, on the 0–4 scale of ``POSITIONING_LEVELS`` (Qualiopi indicators 8 and 11). The
    end-of-course survey rates overall satisfaction, content, trainer, organisation, pace and
    materials from 1 to 5, asks whether the trainee recommends the course, and leaves free text
    (indicator 30); the follow-up survey asks about use at work and impact (Kirkpatrick level 3).
    The wording is stored in the course's language: it is content that staff may then adapt.
    """
    found = Questionnaire.objects.filter(course=course, kind=kind, is_current=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic(), translation.override(course.language or settings.LANGUAGE_CODE):
            version = (Questionnaire.objects.filter(course=course, kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
            questionnaire = Questionnaire.objects.create(
                course=course, kind=kind, version=version, is_current=True, title=_default_title(kind, course)[:250]
            )
            questions = _default_questions(kind, course)
            for question in questions:
                question.questionnaire = questionnaire
            Question.objects.bulk_create(questions)
            return questionnaire
    except IntegrityError:
        # Built at the same moment by another request: use theirs.
        return Questionnaire.objects.get(course=course, kind=kind, is_current=True)


def freeze_answered_version(*, questionnaire: Questionnaire) -> Questionnaire | None:
    """Before an edit, move the answered state of ``questionnaire`` to an archived copy.

    When the questionnaire has responses, a copy with the same version number, its questions and
    all its responses and answers is made non-current, and ``questionnaire`` (the row staff are
    editing) takes the next version number. Returns the archived copy, or None when there was
    nothing to freeze (no response yet: the edit happens in place).
    """
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not locked.responses.exists():
            return None
        next_version = (
            Questionnaire.objects.filter(course_id=locked.course_id, kind=locked.kind).aggregate(v=Max("version"))["v"]
            or 0
        ) + 1
        answered_version = locked.version
        Questionnaire.objects.filter(pk=locked.pk).update(version=next_version)
        archived = Questionnaire.objects.create(
            course_id=locked.course_id,
            kind=locked.kind,
            version=answered_version,
            is_current=False,
            title=locked.title,
            introduction=locked.introduction,
        )
        for question in list(locked.questions.all()):
            old_pk = question.pk
            question.pk = None
            question.questionnaire = archived
            question.save()
            Answer.objects.filter(question_id=old_pk).update(question=question)
        Response.objects.filter(questionnaire=locked).update(questionnaire=archived)
    questionnaire.version = next_version
    return archived
