import pytest
from django.urls import reverse

from academy.core.models import AuditLogEntry, OutboundEmail

from .helpers import enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


def test_staff_cancel_an_enrolment_with_a_reason_and_the_waiting_list_is_promoted(admin_client, admin_user):
    course_session = open_session(capacity_seats=1)
    first = enrol_people(course_session, trainee(1)).enrolments.get()
    enrol_people(course_session, trainee(2))
    url = reverse("admin:enrolment_enrolment_changelist")

    ask = admin_client.post(url, {"action": "cancel_selected", "_selected_action": [first.pk]})
    assert "Motif" in ask.content.decode()
    first.refresh_from_db()
    assert first.status == "confirmed"

    done = admin_client.post(
        url, {"action": "cancel_selected", "_selected_action": [first.pk], "reason": "Session reportée"}
    )

    assert done.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.cancellation_reason) == ("cancelled", "Session reportée")
    assert course_session.enrolments.get(email="trainee2@exemple.fr").status == "offered"
    assert AuditLogEntry.objects.filter(actor=admin_user, object_id=str(first.pk)).exists()
    cancelled_mail = OutboundEmail.objects.get(category="enrolment.cancelled")
    assert "Session reportée" in cancelled_mail.body_text


def test_staff_cancellation_without_a_reason_is_refused(admin_client):
    course_session = open_session()
    enrolment = enrol_people(course_session, trainee(1)).enrolments.get()

    response = admin_client.post(
        reverse("admin:enrolment_enrolment_changelist"),
        {"action": "cancel_selected", "_selected_action": [enrolment.pk], "reason": ""},
    )

    assert "Ce champ est obligatoire." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"


def test_the_enrolment_admin_shows_accessibility_needs_to_staff(admin_client):
    course_session = open_session()
    enrolment = enrol_people(course_session, trainee(1, accessibility_needs="Interprète LSF")).enrolments.get()

    content = admin_client.get(reverse("admin:enrolment_enrolment_change", args=[enrolment.pk])).content.decode()

    assert "Interprète LSF" in content


def test_staff_cancel_a_whole_session_and_everyone_is_told(admin_client):
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    url = reverse("admin:scheduling_coursesession_changelist")

    response = admin_client.post(
        url, {"action": "cancel_sessions", "_selected_action": [course_session.pk], "reason": "Formateur indisponible"}
    )

    assert response.status_code == 302
    course_session.refresh_from_db()
    assert course_session.status == "cancelled"
    assert set(course_session.enrolments.values_list("status", flat=True)) == {"cancelled"}
    assert OutboundEmail.objects.filter(category="enrolment.cancelled").count() == 2
    assert "Formateur indisponible" in OutboundEmail.objects.filter(category="enrolment.cancelled").first().body_text


def test_the_session_list_shows_seats_taken_and_links_to_the_enrolments(admin_client):
    course_session = open_session(capacity_seats=3)
    enrol_people(course_session, trainee(1))

    content = admin_client.get(reverse("admin:scheduling_coursesession_changelist")).content.decode()

    assert "1 / 3" in content
    assert reverse("enrolment:session_enrolments", kwargs={"pk": course_session.pk}) in content
