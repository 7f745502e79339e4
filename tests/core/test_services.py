import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from academy.accounts.access import Role
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
    users.create_user("a", email="b@academie.exemple", is_staff=True).groups.add(_group(Role.PLANNER))
    users.create_user("c", email="a@academie.exemple", is_staff=True).groups.add(_group(Role.ADMINISTRATOR))
    users.create_user("d", email="gone@academie.exemple", is_staff=True, is_active=False).groups.add(
        _group(Role.PLANNER)
    )
    users.create_user("e", email="trainee@exemple.fr")
    assert staff_recipients() == ["a@academie.exemple", "b@academie.exemple"]


def test_staff_recipients_never_include_a_staff_account_without_a_back_office_role(settings):
    settings.ACADEMY_STAFF_EMAILS = []
    TrainingOrganisationFactory(email="")
    users = get_user_model().objects
    users.create_user("norole", email="norole@academie.exemple", is_staff=True)
    users.create_user("trainer", email="trainer@academie.exemple", is_staff=True).groups.add(_group(Role.TRAINER))
    users.create_superuser("root", email="root@academie.exemple", password="x" * 14)
    users.create_user("planner", email="planner@academie.exemple", is_staff=True).groups.add(_group(Role.PLANNER))
    assert staff_recipients() == ["planner@academie.exemple", "root@academie.exemple"]


def _group(role):
    return Group.objects.get_or_create(name=role)[0]
