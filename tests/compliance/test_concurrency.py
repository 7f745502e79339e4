"""Quality records under real parallel transactions on PostgreSQL."""

from __future__ import annotations

import pytest

from academy.attendance.engagement import detect_absences
from academy.attendance.models import AbsenceFollowUp
from academy.compliance.models import Complaint
from academy.compliance.quality.complaints import file_complaint
from academy.core.models import OutboundEmail
from tests.attendance.helpers import trainee, two_day_session
from tests.enrolment.test_concurrency import run_in_parallel
from tests.factories.attendance import sign_slot
from tests.factories.core import TrainingOrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_complaints_filed_at_once_get_ten_distinct_consecutive_references(require_postgresql):
    TrainingOrganisationFactory()

    def file(n):
        return file_complaint(source="trainee", name="Personne %d" % n, subject="Objet %d" % n, description="Texte")

    results = run_in_parallel([lambda n=n: file(n) for n in range(10)])
    assert [r for r in results if isinstance(r, Exception)] == []
    references = sorted(Complaint.objects.values_list("reference", flat=True))
    year = references[0].split("-")[1]
    assert references == ["R-%s-%04d" % (year, n) for n in range(1, 11)]


def test_absences_detected_twice_at_once_open_one_follow_up_and_send_one_message(require_postgresql):
    session, trainer, slots = two_day_session()
    present = trainee(session)
    absent = trainee(session, first_name="Léon", last_name="Martin", email="leon@exemple.fr")
    sign_slot(slots[0], present, trainer)

    results = run_in_parallel([lambda: detect_absences(course_session=session) for _ in range(4)])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert AbsenceFollowUp.objects.filter(enrolment=absent).count() == 1
    assert OutboundEmail.objects.filter(to=["leon@exemple.fr"]).count() == 1
