import datetime

import pytest

from academy.attendance.models import Attendance, Signature
from academy.attendance.personal_data import PROVIDER as ATTENDANCE
from academy.attendance.retention import RetentionError
from academy.attendance.services import record_attendance
from academy.certification.models import Certificate
from academy.certification.personal_data import PROVIDER as CERTIFICATION
from academy.certification.services import issue_certificate
from academy.privacy.registry import providers
from tests.factories.attendance import sign_slot

from .helpers import trainee, two_day_session

pytestmark = pytest.mark.django_db


def _signed_trainee(first_day, second_day):
    session, trainer, slots = two_day_session(first_day, second_day)
    enrolment = trainee(session)
    for slot in slots[:2]:
        sign_slot(slot, enrolment, trainer)
    record_attendance(slot=slots[2], enrolment=enrolment, status="absent")
    return enrolment


def test_both_apps_are_discovered_as_personal_data_providers():
    labels = {provider.app_label for provider in providers()}
    assert {"attendance", "certification"} <= labels


def test_export_lists_the_signatures_with_time_ip_and_device_and_the_certificates():
    enrolment = _signed_trainee(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    issue_certificate(enrolment=enrolment, send=False)
    data = ATTENDANCE.export(enrolment.email_normalised)
    assert len(data["signatures"]) == 2
    assert data["signatures"][0]["ip_address"] == "192.0.2.10" and data["signatures"][0]["drawing"]["strokes"]
    certificates = CERTIFICATION.export(enrolment.email_normalised)["certificates"]
    assert certificates[0]["hours"] == "7.00" and certificates[0]["holder_name"] == "Zoë Ñúñez-Łukasiewicz"
    assert ATTENDANCE.export("nobody@exemple.fr") == {} and CERTIFICATION.export("nobody@exemple.fr") == {}


def test_erasure_keeps_attendance_and_certificates_under_retention():
    enrolment = _signed_trainee(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    issue_certificate(enrolment=enrolment, send=False)
    assert ATTENDANCE.erase(enrolment.email_normalised) == 0
    assert CERTIFICATION.erase(enrolment.email_normalised) == 0
    assert Signature.objects.filter(enrolment=enrolment).count() == 2
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert "third year after the last payment" in ATTENDANCE.retained[0]
    assert "third year after the last payment" in CERTIFICATION.retained[0]


def test_erasure_removes_evidence_once_retention_has_ended():
    enrolment = _signed_trainee(datetime.date(2021, 3, 26), datetime.date(2021, 3, 29))
    certificate = issue_certificate(enrolment=enrolment, send=False)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=datetime.datetime(2021, 4, 1, tzinfo=datetime.UTC))
    assert CERTIFICATION.erase(enrolment.email_normalised) == 1
    assert ATTENDANCE.erase(enrolment.email_normalised) == 3  # 2 signatures + 1 attendance row
    assert not Signature.objects.filter(enrolment=enrolment).exists()


def test_deleting_a_signature_under_retention_is_refused():
    enrolment = _signed_trainee(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    with pytest.raises(RetentionError, match="kept until 31/12/2029"):
        Signature.objects.filter(enrolment=enrolment).first().delete()
    with pytest.raises(RetentionError, match="kept until"):
        Attendance.objects.filter(enrolment=enrolment).first().delete()
