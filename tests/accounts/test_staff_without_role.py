"""An account with ``is_staff`` and no role group reaches nothing beyond the admin index.

Regression tests for the hole where ``is_staff`` alone opened the attendance page and sheet, the
evaluation report, every e-mail of the outbox (trainees' signed links included), the certificate
batches, and let such a user start a batch or change an attendance status.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.attendance.models import Attendance
from academy.certification.models import CertificateBatch
from academy.core.services import queue_email
from tests.attendance.helpers import trainee, two_day_session
from tests.factories.privacy import UserFactory, staff_planner

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_world(client):
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    email = queue_email(
        to=[enrolment.email], subject="Votre lien de signature", body_text="https://academie.exemple/sign/secret/"
    )
    client.force_login(UserFactory(username="stagiaire-du-service", is_staff=True))
    return client, session, slots[0], enrolment, email


def _refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_role_reads_neither_attendance_page_nor_sheet(session_world):
    client, session, slot, _enrolment, _email = session_world
    for url in (
        reverse("attendance:session", args=[session.pk]),
        reverse("attendance:sheet_pdf", args=[session.pk]),
        reverse("attendance:slot", args=[slot.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_staff_without_role_cannot_change_an_attendance_status(session_world):
    client, _session, slot, enrolment, _email = session_world
    response = client.post(
        reverse("attendance:set_status", args=[slot.pk]), {"enrolment": enrolment.pk, "status": "absent"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_staff_without_role_reads_no_evaluation_report(session_world):
    client, session, _slot, _enrolment, _email = session_world
    assert client.get(reverse("evaluation:report", kwargs={"pk": session.pk})).status_code == 404
    assert client.get(reverse("evaluation:report_export", kwargs={"pk": session.pk, "fmt": "csv"})).status_code == 404


def test_staff_without_role_reads_no_email_of_the_outbox(session_world):
    client, _session, _slot, _enrolment, email = session_world
    for url in (reverse("core:outbox"), reverse("core:outbox_email", args=[email.pk])):
        response = client.get(url)
        assert _refused(response), url
        assert "sign/secret" not in response.content.decode()


def test_staff_without_role_neither_sees_nor_starts_certificate_batches(session_world):
    client, session, _slot, _enrolment, _email = session_world
    assert client.get(reverse("certification:session", args=[session.pk])).status_code == 403
    assert client.post(reverse("certification:start_batch", args=[session.pk])).status_code == 403
    assert not CertificateBatch.objects.exists()


def test_staff_without_role_sees_the_empty_admin_index_and_no_back_office_link(session_world):
    client, _session, _slot, _enrolment, _email = session_world
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:enrolment_enrolment_changelist")).status_code == 403
    space = client.get(reverse("accounts:home")).content.decode()
    assert reverse("enrolment:planning") not in space
    assert reverse("core:outbox") not in space


def test_the_menu_shows_back_office_links_by_role_not_by_staff_status(client):
    client.force_login(UserFactory(is_staff=True))
    assert reverse("core:outbox") not in client.get(reverse("catalog:course_list")).content.decode()
    client.force_login(staff_planner())
    assert reverse("core:outbox") in client.get(reverse("catalog:course_list")).content.decode()


def test_a_planner_still_reaches_the_same_pages(session_world):
    client, session, _slot, _enrolment, email = session_world
    client.force_login(staff_planner())
    assert client.get(reverse("attendance:session", args=[session.pk])).status_code == 200
    assert client.get(reverse("evaluation:report", kwargs={"pk": session.pk})).status_code == 200
    assert client.get(reverse("core:outbox_email", args=[email.pk])).status_code == 200
    assert client.get(reverse("certification:session", args=[session.pk])).status_code == 200
