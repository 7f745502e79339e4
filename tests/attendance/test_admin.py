import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from academy.attendance.services import record_attendance
from academy.certification.services import issue_certificate
from tests.factories.attendance import sign_slot

from .helpers import trainee, two_day_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(client):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@exemple.fr", "x" * 14))
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    sign_slot(slots[0], enrolment, trainer)
    record_attendance(slot=slots[1], enrolment=enrolment, status="absent")
    return enrolment, issue_certificate(enrolment=enrolment, send=False)


@pytest.mark.parametrize(
    "model",
    ["attendance_attendance", "attendance_signature", "certification_certificate", "certification_certificatebatch"],
)
def test_the_back_office_lists_attendance_and_certificates(client, evidence, model):
    assert client.get(reverse("admin:%s_changelist" % model)).status_code == 200


def test_a_signature_shows_its_drawing_and_cannot_be_changed_or_deleted(client, evidence):
    enrolment, _certificate = evidence
    signature = enrolment.signatures.first()
    page = client.get(reverse("admin:attendance_signature_change", args=[signature.pk])).content.decode()
    assert 'class="signature-drawing"' in page and 'name="_save"' not in page
    assert (
        client.post(reverse("admin:attendance_signature_delete", args=[signature.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert enrolment.signatures.count() == 1


def test_a_certificate_cannot_be_deleted_from_the_back_office(client, evidence):
    _enrolment, certificate = evidence
    assert (
        client.post(
            reverse("admin:certification_certificate_delete", args=[certificate.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
