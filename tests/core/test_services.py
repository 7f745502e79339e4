import pytest
from django.contrib.auth import get_user_model

from academy.core.services import staff_recipients
from tests.factories.core import TrainingOrganisationFactory

pytestmark = pytest.mark.django_db


def test_staff_recipients_come_from_the_setting_first(settings):
    settings.ACADEMY_STAFF_EMAILS = ["planning@academie.exemple", " "]
    TrainingOrganisationFactory(email="contact@academie.exemple")
    assert staff_recipients() == ["planning@academie.exemple"]


def test_staff_recipients_fall_back_to_the_organisation_email(settings):
    settings.ACADEMY_STAFF_EMAILS = []
    TrainingOrganisationFactory(email="contact@academie.exemple")
    assert staff_recipients() == ["contact@academie.exemple"]


def test_staff_recipients_fall_back_to_active_staff_users_when_the_organisation_has_no_email(settings):
    settings.ACADEMY_STAFF_EMAILS = []
    TrainingOrganisationFactory(email="")
    users = get_user_model().objects
    users.create_user("a", email="b@academie.exemple", is_staff=True)
    users.create_user("c", email="a@academie.exemple", is_staff=True)
    users.create_user("d", email="gone@academie.exemple", is_staff=True, is_active=False)
    users.create_user("e", email="trainee@exemple.fr")
    assert staff_recipients() == ["a@academie.exemple", "b@academie.exemple"]
