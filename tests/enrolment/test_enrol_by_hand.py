"""Staff enrol a trainee by hand (back office) through the enrolment service: same rules as the
public form (FC-02, capacity, waiting list, e-mails), plus an explicit, audited beyond-capacity choice."""

import datetime

import pytest
from django.urls import reverse

from academy.core.audit import entries_about, person_reference
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.enrolment.exceptions import AlreadyEnrolled, SessionNotOpen
from academy.enrolment.models import Enrolment
from academy.enrolment.services import TraineeDetails, enrol_by_staff
from academy.scheduling.models import CourseSession
from tests.factories.privacy import staff_admin, staff_planner
from tests.factories.scheduling import session_with_days

from .helpers import enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


def _by_hand(course_session, person, by=None, **kwargs):
    kwargs.setdefault("funding", "employer")
    return enrol_by_staff(course_session=course_session, trainee=person, by=by or staff_admin(), **kwargs)


def test_staff_enrol_by_hand_confirms_while_seats_are_left_and_sends_the_usual_emails(
    django_capture_on_commit_callbacks,
):
    course_session = open_session(capacity_seats=2)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _by_hand(course_session, trainee(1), organisation_name="Société Exemple")
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.booking.client_organisation.name == "Société Exemple"
    assert OutboundEmail.objects.filter(to=[enrolment.email]).exists()
    assert OutboundEmail.objects.filter(category="enrolment.staff_new_booking").exists()
    entry = entries_about(enrolment).get(event="enrolment.confirmed")
    assert entry.data["by_hand"] is True and entry.data["beyond_capacity"] is False


def test_fc02_staff_cannot_enrol_the_same_person_twice_on_a_session():
    course_session = open_session()
    _by_hand(course_session, trainee("zoe"))
    with pytest.raises(AlreadyEnrolled, match="traineezoe@exemple.fr est déjà inscrit"):
        _by_hand(course_session, TraineeDetails(first_name="Zoë", last_name="Núñez", email="  TRAINEEZOE@Exemple.FR "))
    assert course_session.enrolments.count() == 1


def test_a_full_session_puts_the_hand_enrolled_trainee_on_the_waiting_list():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrolment = _by_hand(course_session, trainee(2))
    assert enrolment.status == Enrolment.Status.WAITING
    course_session.refresh_from_db()
    assert course_session.capacity_seats == 1


def test_confirming_beyond_capacity_raises_the_capacity_by_one_and_is_audited():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    admin = staff_admin(username="planif")
    enrolment = _by_hand(course_session, trainee(2), by=admin, beyond_capacity=True)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    course_session.refresh_from_db()
    assert course_session.capacity_seats == 2
    assert course_session.enrolments.filter(status="confirmed").count() == 2
    entry = entries_about(course_session).get(event="course_session.capacity_raised")
    assert entry.actor == admin
    assert entry.data == {"from": 1, "to": 2}
    assert entry.person_ref == person_reference("trainee2@exemple.fr")


def test_beyond_capacity_changes_nothing_while_seats_are_left():
    course_session = open_session(capacity_seats=3)
    _by_hand(course_session, trainee(1), beyond_capacity=True)
    course_session.refresh_from_db()
    assert course_session.capacity_seats == 3
    assert not AuditLogEntry.objects.filter(event="course_session.capacity_raised").exists()


def test_staff_cannot_enrol_on_a_cancelled_or_started_session():
    cancelled = open_session(status=CourseSession.Status.CANCELLED)
    with pytest.raises(SessionNotOpen, match="annulée ou terminée"):
        _by_hand(cancelled, trainee(1))
    started = session_with_days(datetime.date.today() - datetime.timedelta(days=1))
    with pytest.raises(SessionNotOpen):
        _by_hand(started, trainee(2))
    assert not Enrolment.objects.exists()


def test_staff_may_enrol_on_an_in_company_session():
    course_session = open_session(kind=CourseSession.Kind.IN_COMPANY)
    assert _by_hand(course_session, trainee(1)).status == Enrolment.Status.CONFIRMED


# --- the back-office page ---------------------------------------------------------------------


def _form(course_session, n, **overrides):
    data = {
        "course_session": course_session.pk,
        "first_name": "Zoë",
        "last_name": "Núñez %s" % n,
        "email": "trainee%s@exemple.fr" % n,
        "job_title": "",
        "accessibility_needs": "",
        "organisation_name": "Société Exemple",
        "organisation_siret": "",
        "funding": "employer",
        "funder_name": "",
        "language": "fr",
    }
    data.update(overrides)
    return data


def test_the_enrolment_add_page_is_open_to_staff_with_the_permission(client):
    client.force_login(staff_planner())
    page = client.get(reverse("admin:enrolment_enrolment_add"))
    assert page.status_code == 200
    assert "Confirmer au-delà de la capacité" in page.content.decode()


def test_staff_enrol_by_hand_from_the_admin_and_land_on_the_enrolment(client):
    course_session = open_session(capacity_seats=5)
    client.force_login(staff_planner())
    response = client.post(reverse("admin:enrolment_enrolment_add"), _form(course_session, 1))
    enrolment = Enrolment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:enrolment_enrolment_change", args=[enrolment.pk])
    assert enrolment.status == "confirmed"


def test_the_admin_page_shows_the_service_refusal_and_saves_nothing(client):
    course_session = open_session()
    enrol_people(course_session, trainee(1))
    client.force_login(staff_planner())
    response = client.post(reverse("admin:enrolment_enrolment_add"), _form(course_session, 1))
    assert response.status_code == 200
    assert "trainee1@exemple.fr est déjà inscrit" in response.content.decode()
    assert course_session.enrolments.count() == 1


def test_the_admin_beyond_capacity_checkbox_confirms_and_records_it(client):
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    client.force_login(staff_planner())
    waiting = client.post(reverse("admin:enrolment_enrolment_add"), _form(course_session, 2))
    assert waiting.status_code == 302
    assert course_session.enrolments.get(email="trainee2@exemple.fr").status == "waiting"
    beyond = client.post(
        reverse("admin:enrolment_enrolment_add"), _form(course_session, 3, confirm_beyond_capacity="on")
    )
    assert beyond.status_code == 302
    assert course_session.enrolments.get(email="trainee3@exemple.fr").status == "confirmed"
    raised = AuditLogEntry.objects.get(event="course_session.capacity_raised")
    assert raised.person_ref == person_reference("trainee3@exemple.fr")
