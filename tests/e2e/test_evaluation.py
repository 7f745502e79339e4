"""Evaluation in a real browser: the seed course from the "before" positioning to the public figure."""

from __future__ import annotations

import datetime
import os
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation

from academy.core.models import OutboundEmail
from academy.enrolment.models import Enrolment
from academy.enrolment.signals import enrolment_confirmed
from academy.evaluation.models import Response
from academy.evaluation.sending import send_due_evaluations
from academy.evaluation.services import current_questionnaire
from academy.scheduling.models import SessionSlot
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import TrainerFactory, add_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(https?://\S+/evaluation/answer/\S+/)")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 2


def link_path(email: OutboundEmail, kind_label: str) -> str:
    """The path of the link following ``kind_label`` in the e-mail's text."""
    after = email.body_text.split(kind_label, 1)[1]
    return urlsplit(LINK.search(after).group(1)).path


def answer_all(page, questionnaire, choose):
    for question in questionnaire.questions.all():
        value = choose(question)
        if value is None:
            continue
        if question.kind == "text":
            page.fill("textarea[name=q%s]" % question.pk, value)
        else:
            page.check("input[name=q%s][value='%s']" % (question.pk, value))


def test_seed_course_from_before_positioning_to_public_figure(
    page, live_server, seed_course, screenshot, django_user_model, artefacts_dir
):
    # A session of the seed course tomorrow, two trainees, a trainer with an account.
    from tests.factories.scheduling import CourseSessionFactory

    course_session = CourseSessionFactory(course=seed_course)
    add_day(course_session, timezone.localdate() + datetime.timedelta(days=1))
    trainer_user = django_user_model.objects.create_user("camille.formatrice", password="not-used-here-123")
    course_session.trainers.add(TrainerFactory(user=trainer_user, first_name="Camille"))
    zoe = EnrolmentFactory(
        booking__course_session=course_session,
        first_name="Zoë",
        last_name="Ñúñez-Łukasiewicz",
        email="zoe.nunez@exemple.fr",
    )
    anh = EnrolmentFactory(
        booking__course_session=course_session, first_name="Nguyễn", last_name="Thị Ánh", email="anh.nguyen@exemple.fr"
    )
    for enrolment in (zoe, anh):
        enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)

    # 1. Zoë answers the "before" positioning from the e-mailed link.
    email = OutboundEmail.objects.get(to=["zoe.nunez@exemple.fr"])
    before = current_questionnaire(course=seed_course, kind="positioning_before")
    page.goto(link_path(email, "Auto-positionnement en amont"))
    assert page.locator("h1").inner_text().startswith("Auto-positionnement en amont")
    assert page.get_by_text("Je maîtrise et peux transmettre").first.is_visible()
    answer_all(page, before, lambda q: 1)
    screenshot(page, "evaluation-01-before-positioning-form")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_text("Merci : vos réponses sont enregistrées.").wait_for()
    screenshot(page, "evaluation-02-before-positioning-thanks")

    # 2. At the opening, the trainer records Ánh's answers (logged in as the linked user).
    client = Client()
    client.force_login(trainer_user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/evaluation/sessions/%s/opening/" % course_session.pk)
    page.get_by_text("1 stagiaire n’a pas répondu").wait_for()
    screenshot(page, "evaluation-03-trainer-opening-page")
    page.get_by_role("link", name="Saisir les réponses de Nguyễn Thị Ánh").click()
    answer_all(page, before, lambda q: 2)
    page.get_by_role("button", name="Enregistrer les réponses").click()
    page.get_by_text("Réponses de Nguyễn Thị Ánh enregistrées.").wait_for()
    page.get_by_text("Tout le monde a répondu.").wait_for()
    screenshot(page, "evaluation-04-trainer-opening-done")
    assert Response.objects.get(enrolment=anh, kind="positioning_before").entered_by_trainer
    assert not Response.objects.get(enrolment=zoe, kind="positioning_before").entered_by_trainer

    # 3. The day is over: the last slot has ended, the end-of-course survey goes out.
    now = timezone.now()
    for offset, slot in enumerate(SessionSlot.objects.filter(course_session=course_session).order_by("starts_at")):
        slot.starts_at = now - datetime.timedelta(hours=9 - 4 * offset)
        slot.ends_at = slot.starts_at + datetime.timedelta(hours=3, minutes=30)
        slot.save()
    send_due_evaluations()
    survey = current_questionnaire(course=seed_course, kind="end_of_course")
    scores = {"zoe.nunez@exemple.fr": 5, "anh.nguyen@exemple.fr": 4}
    for address, overall in scores.items():
        email = OutboundEmail.objects.filter(to=[address]).order_by("-created_at").first()
        page.goto(link_path(email, "Évaluation à chaud"))
        answer_all(
            page,
            survey,
            lambda q, overall=overall: {"overall": overall, "recommend": "yes", "comments": "Très concret."}.get(
                q.key, 4
            ),
        )
        if overall == 5:
            screenshot(page, "evaluation-05-end-of-course-survey")
        page.get_by_role("button", name="Envoyer mes réponses").click()
        page.get_by_text("Merci : vos réponses sont enregistrées.").wait_for()

    # 4. The report, drawn on the server.
    page.goto("/evaluation/sessions/%s/report/" % course_session.pk)
    assert page.locator("svg[role=img]").count() == 2
    screenshot(page, "evaluation-06-session-report")

    # 5. The course page shows the figure computed from those answers: (5 + 4) / 2 = 4.50.
    with translation.override("fr"):
        page.goto(seed_course.get_absolute_url())
    figures = page.locator(".evaluation-figures")
    figures.wait_for()
    text = " ".join(figures.inner_text().split())
    assert "4,50 / 5" in text
    assert "Satisfaction moyenne" in text
    assert "Sur la base de 2 avis, collectés en fin de formation durant les 12 derniers mois." in text
    assert "100 % recommandent cette formation" in text.replace("\xa0", " ")
    screenshot(page, "evaluation-07-course-page")
    figures.screenshot(path=os.path.join(artefacts_dir, "screenshots", "evaluation-08-course-page-figure-block.png"))
