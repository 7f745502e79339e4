"""Opening enrolment: only on sessions of published courses, and bulk actions validate each session."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from academy.catalog.models import Course
from academy.scheduling.models import CourseSession
from tests.factories.catalog import CourseFactory
from tests.factories.scheduling import CourseSessionFactory, session_with_days

pytestmark = pytest.mark.django_db
DAY = datetime.date(2027, 3, 30)
CHANGELIST = "admin:scheduling_coursesession_changelist"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_session_of_a_draft_course_is_not_open_for_enrolment():
    course_session = session_with_days(DAY, course=CourseFactory(status=Course.Status.DRAFT))

    assert course_session.enrolment_closed_reason() == "unpublished"
    assert not CourseSession.objects.open_for_enrolment().filter(pk=course_session.pk).exists()


def test_the_public_enrolment_form_of_a_draft_course_session_answers_not_found(client):
    course_session = session_with_days(DAY, course=CourseFactory(status=Course.Status.DRAFT))

    response = client.get(reverse("enrolment:enrol", kwargs={"pk": course_session.pk}))

    assert response.status_code == 404


def test_the_admin_refuses_to_open_a_session_of_a_draft_course_with_a_message():
    course = CourseFactory(status=Course.Status.DRAFT, code="DNOCO")
    course_session = CourseSessionFactory(course=course, status=CourseSession.Status.DRAFT)
    course_session.status = CourseSession.Status.OPEN

    with pytest.raises(ValidationError) as caught:
        course_session.full_clean()

    assert caught.value.message_dict["status"] == [
        "La formation DNOCO n’est pas publiée : publiez-la avant d’ouvrir les inscriptions à ses sessions."
    ]


def test_the_bulk_open_action_opens_valid_sessions_and_reports_each_refused_one_with_its_reasons(admin_client):
    valid = session_with_days(DAY, status=CourseSession.Status.DRAFT)
    bare = CourseSessionFactory(status=CourseSession.Status.DRAFT, venue_address="", remote_url="")
    draft_course = session_with_days(
        DAY, status=CourseSession.Status.DRAFT, course=CourseFactory(status=Course.Status.DRAFT)
    )

    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "open_enrolment", "_selected_action": [valid.pk, bare.pk, draft_course.pk]},
        follow=True,
    )

    statuses = dict(CourseSession.objects.values_list("pk", "status"))
    assert statuses == {valid.pk: "open", bare.pk: "draft", draft_course.pk: "draft"}
    shown = _messages(response)
    assert any(str(bare) in m and "adresse" in m and "demi-journée" in m for m in shown), shown
    assert any(str(draft_course) in m and "n’est pas publiée" in m for m in shown), shown
    assert "1 session ouverte." in shown
