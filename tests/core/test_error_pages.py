"""Error pages in the site's look and language, with a way back, when DEBUG is off."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from academy.core import errors
from tests.factories.privacy import UserFactory, staff_planner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_an_expired_cancel_link_shows_the_translated_message_on_the_site_404_page(client):
    response = client.get(reverse("enrolment:cancel", kwargs={"token": "expired-or-forged"}))

    content = response.content.decode()
    assert response.status_code == 404
    assert "Ce lien est invalide ou a expiré." in content
    assert "Page introuvable" in content and "Not Found" not in content
    assert 'href="/"' in content and 'class="site-header"' in content


def test_the_404_page_is_english_under_the_english_prefix(client):
    response = client.get("/en/enrolment/cancel/expired-or-forged/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "This link is invalid or has expired." in content and "Page not found" in content


def test_a_developer_message_given_to_http404_is_not_shown_to_people(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(reverse("attendance:session", kwargs={"session_id": 987654}))

    assert response.status_code == 404
    assert "unknown session" not in response.content.decode()
    assert reverse("accounts:home") in response.content.decode()


def test_a_staff_account_without_a_role_gets_a_french_403_page_with_a_way_back(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("enrolment:planning"))

    content = response.content.decode()
    assert response.status_code == 403
    assert "Accès refusé" in content and "403 Forbidden" not in content
    assert "demandez-le à un administrateur" in content
    assert reverse("accounts:home") in content and 'href="/"' in content


def test_the_500_page_needs_neither_the_database_nor_context_processors(django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override("en"), django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_the_400_page_uses_the_site_look(rf):
    request = rf.get("/")
    request.user = staff_planner()
    with translation.override("fr"):
        response = errors.bad_request(request)

    assert response.status_code == 400
    assert "Demande incomprise" in response.content.decode()
