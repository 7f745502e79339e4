from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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
