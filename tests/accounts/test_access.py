"""Role predicates and decorators (academy.accounts.access), and the object rules built on them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import HttpResponse

from academy.accounts import access as roles
from academy.enrolment.access import can_view_enrolment
from academy.scheduling.access import can_manage_session, can_view_session
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import BookingFactory, EnrolmentFactory
from tests.factories.privacy import (
    UserFactory,
    client_contact_user,
    staff_admin,
    staff_planner,
    trainee_user,
    trainer_user,
)
from tests.factories.scheduling import CourseSessionFactory

pytestmark = pytest.mark.django_db


def test_setup_roles_creates_the_five_groups_idempotently():
    call_command("setup_roles")
    call_command("setup_roles")
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLES) <= names
    admin = Group.objects.get(name=roles.STAFF_ADMIN)
    planner = Group.objects.get(name=roles.STAFF_PLANNER)
    assert admin.permissions.filter(codename="view_auditlogentry").exists()
    assert not planner.permissions.filter(codename="view_auditlogentry").exists()
    assert planner.permissions.filter(codename="change_coursesession").exists()
    assert not Group.objects.get(name=roles.TRAINER).permissions.exists()


def test_a_trainer_sees_only_the_sessions_they_deliver():
    user = trainer_user()
    own = CourseSessionFactory()
    own.trainers.add(user.trainer)
    other = CourseSessionFactory()
    assert can_view_session(user, own)
    assert not can_view_session(user, other)
    assert can_manage_session(user, own) and not can_manage_session(user, other)


def test_a_client_contact_sees_only_their_organisation_s_sessions_and_trainees():
    organisation = ClientOrganisationFactory()
    user = client_contact_user(client_organisation=organisation)
    dedicated = CourseSessionFactory(client_organisation=organisation)
    shared = CourseSessionFactory()
    ours = EnrolmentFactory(booking=BookingFactory(course_session=shared, client_organisation=organisation))
    theirs = EnrolmentFactory(
        booking=BookingFactory(course_session=shared, client_organisation=ClientOrganisationFactory())
    )
    assert can_view_session(user, dedicated)
    assert can_view_session(user, shared)
    assert can_view_enrolment(user, ours)
    assert not can_view_enrolment(user, theirs)
    assert not can_view_session(user, CourseSessionFactory())


def test_a_trainee_sees_only_their_own_enrolments():
    user = trainee_user(email="Zoe.Nunez@Exemple.FR")
    mine = EnrolmentFactory(email="zoe.nunez@exemple.fr")
    other = EnrolmentFactory()
    assert can_view_enrolment(user, mine)
    assert can_view_session(user, mine.course_session)
    assert not can_view_enrolment(user, other)
    assert not can_view_session(user, other.course_session)


def test_staff_see_everything_and_anonymous_nothing():
    enrolment = EnrolmentFactory()
    for user in (staff_admin(), staff_planner()):
        assert can_view_enrolment(user, enrolment)
    assert not can_view_enrolment(AnonymousUser(), enrolment)
    assert not can_view_session(UserFactory(), enrolment.course_session)


def test_an_inactive_administrator_has_no_role():
    user = staff_admin(is_active=False)
    assert roles.user_roles(user) == []


def test_a_planner_is_not_an_administrator():
    user = staff_planner()
    assert roles.user_roles(user) == [roles.STAFF_PLANNER]
    assert not roles.is_staff_admin(user)


def test_role_required_sends_anonymous_visitors_to_log_in_and_refuses_others(rf):
    @roles.role_required(roles.TRAINER)
    def view(request):
        return HttpResponse("ok")

    request = rf.get("/x/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request.user = UserFactory()
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = trainer_user()
    assert view(request).status_code == 200


def test_role_required_refuses_an_unknown_role_name():
    with pytest.raises(ValueError, match="Unknown roles: wizard"):
        roles.role_required("wizard")
