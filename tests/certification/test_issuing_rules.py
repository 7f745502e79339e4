"""Evidence follows time and identity: no certificate before the session ends, none while the
organisation's legal identity is incomplete — on every path (service, batch, command, page)."""

import datetime
import html

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from academy.certification.models import Certificate, CertificateBatch
from academy.certification.services import (
    CertificateError,
    correct_certificate,
    issue_certificate,
    issuing_blockers,
    start_certificate_batch,
)
from academy.core.models import OutboundEmail, TrainingOrganisation
from tests.attendance.helpers import trainee, two_day_session
from tests.clock import CLOCK, restore_clock  # noqa: F401 (fixture)
from tests.factories.attendance import sign_slot
from tests.factories.privacy import staff_admin, staff_planner
from tests.factories.scheduling import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("restore_clock")]


def _signed_first_day():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    for slot in slots[:2]:
        sign_slot(slot, enrolment, trainer)
    return session, enrolment


def _empty_legal_identity():
    TrainingOrganisation.objects.update(legal_representative="", siret="", declaration_number="")


def test_no_certificate_is_issued_before_the_sessions_last_half_day_has_ended():
    _session, enrolment = _signed_first_day()
    CLOCK.at(paris(2026, 3, 30, 17, 29))  # the last half-day ends at 17:30
    with pytest.raises(CertificateError, match="The session is not over: .* on 30/03/2026 at 17:30"):
        issue_certificate(enrolment=enrolment)
    assert not Certificate.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_certificate_is_issued_once_the_last_half_day_has_ended():
    _session, enrolment = _signed_first_day()
    CLOCK.at(paris(2026, 3, 30, 17, 30))
    assert issue_certificate(enrolment=enrolment, send=False).hours == 7


def test_issuing_is_blocked_while_legal_identity_is_incomplete():
    _session, enrolment = _signed_first_day()
    _empty_legal_identity()
    with pytest.raises(
        CertificateError,
        match=r"legal identity is incomplete: fill in legal representative, SIRET, declaration number \(NDA\)",
    ):
        issue_certificate(enrolment=enrolment)
    assert not Certificate.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_legal_identity_message_names_only_the_missing_items_in_french():
    session, _enrolment = _signed_first_day()
    TrainingOrganisation.objects.update(siret="")
    with translation.override("fr"):
        (reason,) = issuing_blockers(course_session=session)
    assert "SIRET" in reason
    assert "représentant légal" not in reason
    assert reason.startswith("L'identité légale de l'organisme de formation est incomplète")


def test_a_correction_is_blocked_while_legal_identity_is_incomplete():
    _session, enrolment = _signed_first_day()
    certificate = issue_certificate(enrolment=enrolment, send=False)
    _empty_legal_identity()
    with pytest.raises(CertificateError, match="legal identity is incomplete"):
        correct_certificate(certificate=certificate, reason="Nom mal orthographié", send=False)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.CURRENT
    assert Certificate.objects.count() == 1


def test_a_batch_is_refused_before_the_session_ends_and_creates_nothing():
    session, _enrolment = _signed_first_day()
    CLOCK.at(paris(2026, 3, 27, 18))
    with pytest.raises(CertificateError, match="The session is not over"):
        start_certificate_batch(course_session=session)
    assert not CertificateBatch.objects.exists()
    assert not Certificate.objects.exists()


def test_the_command_refuses_to_issue_while_legal_identity_is_incomplete():
    session, _enrolment = _signed_first_day()
    _empty_legal_identity()
    with pytest.raises(CommandError, match="legal identity is incomplete"):
        call_command("issue_certificates", "--session", str(session.pk))
    assert not Certificate.objects.exists()


def test_the_staff_page_says_why_issuing_is_blocked_and_what_to_fill_in(client):
    session, enrolment = _signed_first_day()
    _empty_legal_identity()
    client.force_login(staff_admin())
    with translation.override("fr"):
        page = html.unescape(client.get(reverse("certification:session", args=[session.pk])).content.decode())
        response = client.post(reverse("certification:start_batch", args=[session.pk]), follow=True)
    assert "data-issuing-blocked" in page
    assert "représentant légal, SIRET, numéro de déclaration d'activité (NDA)" in page
    assert reverse("admin:core_trainingorganisation_changelist") in page
    assert "L'identité légale de l'organisme de formation est incomplète" in html.unescape(response.content.decode())
    assert not CertificateBatch.objects.exists()


def test_the_session_end_is_checked_against_the_latest_half_day_not_the_first():
    session, _enrolment = _signed_first_day()
    after_day_one = paris(2026, 3, 27, 18)
    reasons = issuing_blockers(course_session=session, at=after_day_one)
    assert reasons and "30/03/2026" in reasons[0]
    assert issuing_blockers(course_session=session, at=after_day_one + datetime.timedelta(days=4)) == []


def test_a_planner_is_told_to_ask_an_administrator_instead_of_a_link_they_cannot_open(client):
    session, _enrolment = _signed_first_day()
    _empty_legal_identity()
    planner = staff_planner()
    client.force_login(planner)
    with translation.override("fr"):
        page = html.unescape(client.get(reverse("certification:session", args=[session.pk])).content.decode())
        admin_page = client.get(reverse("admin:core_trainingorganisation_changelist"))
    assert admin_page.status_code == 403
    assert reverse("admin:core_trainingorganisation_changelist") not in page
    assert "C’est un administrateur ou une administratrice de l’organisme qui complète son identité légale" in page
    assert "disabled" in page
