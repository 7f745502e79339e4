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


def test_staff_status_alone_is_no_role():
    user = UserFactory(is_staff=True)
    assert roles.user_roles(user) == []
    assert not any(roles.has_role(user, role) for role in roles.Role)
    assert not roles.is_staff_member(user)


def test_the_planner_role_admits_administrators_too():
    assert roles.has_role(staff_admin(), roles.Role.PLANNER)
    assert not roles.has_role(staff_planner(), roles.Role.ADMINISTRATOR)


def test_has_role_refuses_an_unknown_role_name():
    with pytest.raises(ValueError, match="Unknown roles: wizard"):
        roles.has_role(UserFactory(), "wizard")


def test_a_contact_is_the_contact_of_their_own_organisation_only():
    organisation = ClientOrganisationFactory()
    user = client_contact_user(client_organisation=organisation)
    assert roles.is_contact_of(user, organisation.pk)
    assert not roles.is_contact_of(user, ClientOrganisationFactory().pk)
    assert not roles.is_contact_of(user, None)
    assert not roles.is_contact_of(staff_admin(), organisation.pk)


def test_a_signed_link_is_trusted_only_for_its_purpose_and_lifetime():
    import datetime

    from academy.core.tokens import make_token

    token = make_token("enrolment-cancel", {"e": 7})
    assert roles.signed_link_payload("enrolment-cancel", token) == {"e": 7}
    assert roles.signed_link_payload("enrolment-offer", token) is None
    assert roles.signed_link_payload("enrolment-cancel", token + "x") is None
    assert roles.signed_link_payload("enrolment-cancel", token, max_age=datetime.timedelta(seconds=-1)) is None


def test_require_role_takes_the_role_names_of_the_enum(rf):
    @roles.require_role(roles.Role.ADMINISTRATOR)
    def view(request):
        return HttpResponse("ok")

    request = rf.get("/x/")
    request.user = staff_planner()
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = staff_admin()
    assert view(request).status_code == 200


def test_back_office_pages_send_non_staff_to_the_back_office_log_in_and_refuse_staff_without_role(rf):
    @roles.back_office_required
    def view(request):
        return HttpResponse("ok")

    request = rf.get("/staff/x/")
    for user in (AnonymousUser(), trainer_user(), client_contact_user()):
        request.user = user
        response = view(request)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
    request.user = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = staff_planner()
    assert view(request).status_code == 200


def test_the_mixin_guards_a_class_based_view(rf):
    from django.views import View

    class PlannerPage(roles.RoleRequiredMixin, View):
        required_roles = (roles.Role.PLANNER,)

        def get(self, request):
            return HttpResponse("ok")

    request = rf.get("/x/")
    request.user = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        PlannerPage.as_view()(request)
    request.user = staff_planner()
    assert PlannerPage.as_view()(request).status_code == 200
