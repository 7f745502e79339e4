import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories.privacy import PASSWORD, UserFactory, staff_planner, trainer_user
from tests.factories.scheduling import CourseSessionFactory, add_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_trainer_without_staff_status_signs_in_and_sees_the_sessions_they_run(client):
    user = trainer_user()
    course_session = CourseSessionFactory(course__title="Les communs numériques")
    add_day(course_session, datetime.date.today() + datetime.timedelta(days=10))
    course_session.trainers.add(user.trainer)
    CourseSessionFactory(course__title="Session d'un autre formateur")

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:home")
    content = response.content.decode()
    assert "Les communs numériques" in content
    assert reverse("attendance:session", args=[course_session.pk]) in content
    assert reverse("evaluation:session_opening", args=[course_session.pk]) in content
    assert "Session d'un autre formateur" not in content


def test_a_wrong_password_is_refused_with_a_message_and_no_session(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_refused_past_the_failed_attempt_limit(client, settings):
    settings.ACADEMY_LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_see_their_back_office_links_in_their_space(client):
    client.force_login(staff_planner())
    content = client.get(reverse("accounts:home")).content.decode()
    assert reverse("enrolment:planning") in content
    assert reverse("privacy:people") not in content  # erasure is for administrators only


def test_my_space_needs_signing_in(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_my_space_makes_one_query_for_the_sessions_whatever_their_number(client, django_assert_max_num_queries):
    user = trainer_user()
    client.force_login(user)
    for n in range(2):
        session = CourseSessionFactory()
        add_day(session, datetime.date.today() + datetime.timedelta(days=n + 1))
        session.trainers.add(user.trainer)
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:home"))
    for n in range(30):
        session = CourseSessionFactory()
        add_day(session, datetime.date.today() + datetime.timedelta(days=n + 1))
        session.trainers.add(user.trainer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:home"))
    assert response.content.decode().count("/attendance/sessions/") == 32
