from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from academy.certification.models import Certificate
from tests.attendance.helpers import trainee, two_day_session
from tests.factories.attendance import sign_slot

pytestmark = pytest.mark.django_db


def test_issue_certificates_dry_run_shows_hours_and_issues_nothing():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    for slot in slots[:3]:
        sign_slot(slot, enrolment, trainer)
    out = StringIO()
    call_command("issue_certificates", session=session.pk, dry_run=True, stdout=out)
    assert "[1/1] Zoë Ñúñez-Łukasiewicz: 10.5 h" in out.getvalue()
    assert not Certificate.objects.exists()


def test_issue_certificates_issues_and_skips_trainees_without_signed_half_days():
    session, trainer, slots = two_day_session()
    sign_slot(slots[0], trainee(session), trainer)
    trainee(session, first_name="Absent", last_name="Toujours")
    out = StringIO()
    call_command("issue_certificates", session=session.pk, no_email=True, stdout=out)
    assert "1 issued, 1 skipped." in out.getvalue()
    assert Certificate.objects.count() == 1


def test_issue_certificates_refuses_an_unknown_session():
    with pytest.raises(CommandError, match="No session with id 999"):
        call_command("issue_certificates", session=999)


def test_issuing_in_turn_issues_each_trainee_and_reports_a_refusal_without_stopping():
    from academy.certification.services import issue_in_turn

    session, trainer, slots = two_day_session()
    absent = trainee(session, first_name="Absent", last_name="Toujours")
    present = trainee(session)
    sign_slot(slots[0], present, trainer)

    with translation.override("en"):
        outcomes = list(issue_in_turn([absent, present], send=False))

    assert [(enrolment.pk, certificate is not None) for enrolment, certificate, _ in outcomes] == [
        (absent.pk, False),
        (present.pk, True),
    ]
    assert outcomes[0][2] == "Absent Toujours has no half-day signed by both the trainee and the trainer yet."
    assert outcomes[1][2] == ""
    assert Certificate.objects.get().enrolment_id == present.pk
