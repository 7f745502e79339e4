"""Certificates and attendance sheets sent to the client organisation's contacts and funders, per its setting."""

from __future__ import annotations

import base64
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from academy.certification.services import correct_certificate, issue_certificate
from academy.clientspace.models import DocumentSharing
from academy.clientspace.sharing import SharingError, share_attendance_sheet
from academy.commerce.models import FundingLine
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.core.notifications import erased_address
from tests.attendance.helpers import two_day_session
from tests.factories.attendance import sign_slot
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import client_contact_user

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def shared_emails():
    return OutboundEmail.objects.filter(category="document_sharing").order_by("pk")


def attached_pdf(email: OutboundEmail) -> bytes:
    attachment = email.attachments[0]
    assert attachment["mimetype"] == "application/pdf"
    return base64.b64decode(attachment["content_b64"])


@pytest.fixture
def world():
    """Zoë of « Coopérative Ñandú » (one contact, an OPCO and a public funder) on an in-company session."""
    ours = ClientOrganisationFactory(name="Coopérative Ñandú")
    session, trainer, slots = two_day_session(title="Masterclass Communs numériques")
    session.client_organisation = ours
    session.save()
    zoe = EnrolmentFactory(
        booking__course_session=session, booking__client_organisation=ours, first_name="Zoë", last_name="Núñez"
    )
    for slot in slots:
        sign_slot(slot, zoe, trainer)
    client_contact_user(client_organisation=ours, email="camille@cooperative.example", first_name="Camille")
    for position, (kind, name, email) in enumerate(
        [
            ("opco", "OPCO Atlas", "apc@opco-atlas.example"),
            ("public", "France Travail", "aif@francetravail.example"),
            ("client", "Coopérative Ñandú", "compta@cooperative.example"),
        ]
    ):
        FundingLine.objects.create(
            booking=zoe.booking,
            position=position,
            payer_kind=kind,
            payer_name=name,
            email=email,
            amount_excl_vat=Decimal("100.00"),
        )
    return {"ours": ours, "session": session, "zoe": zoe}


def set_sharing(organisation, *, to_contact: bool, to_funder: bool) -> None:
    DocumentSharing.objects.update_or_create(
        client_organisation=organisation, defaults={"to_contact": to_contact, "to_funder": to_funder}
    )


def test_by_default_an_issued_certificate_goes_to_the_contact_with_its_pdf_and_not_to_the_funders(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(enrolment=world["zoe"])

    emails = list(shared_emails())
    assert [email.to for email in emails] == [["camille@cooperative.example"]]
    assert "Zoë Núñez" in emails[0].subject
    assert "Certificat de réalisation" in emails[0].subject
    assert "Zoë Núñez" in pdf_text(attached_pdf(emails[0]))
    entry = AuditLogEntry.objects.get(event="certificate.shared")
    assert entry.data["audience"] == "contact"


def test_with_the_funder_switch_on_the_certificate_goes_to_the_opco_and_public_funders_e_mail(
    world, django_capture_on_commit_callbacks
):
    set_sharing(world["ours"], to_contact=False, to_funder=True)
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(enrolment=world["zoe"])

    emails = list(shared_emails())
    assert [email.to for email in emails] == [["apc@opco-atlas.example"], ["aif@francetravail.example"]]
    assert all(b"%PDF" == attached_pdf(email)[:4] for email in emails)
    assert sorted(
        AuditLogEntry.objects.filter(event="certificate.shared").values_list("data__audience", flat=True)
    ) == [
        "funder",
        "funder",
    ]


def test_with_both_switches_off_nothing_is_sent_but_the_holders_own_certificate(
    world, django_capture_on_commit_callbacks
):
    set_sharing(world["ours"], to_contact=False, to_funder=False)
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(enrolment=world["zoe"])

    assert not shared_emails().exists()
    assert not AuditLogEntry.objects.filter(event="certificate.shared").exists()
    assert OutboundEmail.objects.filter(category="certificate").count() == 1


def test_a_corrected_certificate_is_sent_again_to_both_contact_and_funders(world, django_capture_on_commit_callbacks):
    set_sharing(world["ours"], to_contact=True, to_funder=True)
    first = issue_certificate(enrolment=world["zoe"], send=False)
    assert not shared_emails().exists()
    with django_capture_on_commit_callbacks(execute=True):
        correct_certificate(certificate=first, reason="Nom mal orthographié")

    assert [email.to for email in shared_emails()] == [
        ["camille@cooperative.example"],
        ["apc@opco-atlas.example"],
        ["aif@francetravail.example"],
    ]


def test_an_erased_funder_address_is_never_written_to(world, django_capture_on_commit_callbacks):
    set_sharing(world["ours"], to_contact=False, to_funder=True)
    FundingLine.objects.filter(payer_kind="opco").update(email=erased_address("funder"))
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificate(enrolment=world["zoe"])

    assert [email.to for email in shared_emails()] == [["aif@francetravail.example"]]
    assert AuditLogEntry.objects.filter(event="certificate.shared").count() == 1


def test_the_attendance_sheet_of_a_session_run_for_the_organisation_goes_to_contact_and_funders_per_the_setting(world):
    set_sharing(world["ours"], to_contact=True, to_funder=True)

    assert share_attendance_sheet(world["session"]) == 3

    emails = list(shared_emails())
    assert [email.to for email in emails][0] == ["camille@cooperative.example"]
    assert "Feuille d'émargement" in emails[0].subject
    assert "Núñez" in pdf_text(attached_pdf(emails[0]))
    assert AuditLogEntry.objects.filter(event="attendance_sheet.shared").count() == 3


def test_the_attendance_sheet_goes_to_nobody_when_both_switches_are_off(world):
    set_sharing(world["ours"], to_contact=False, to_funder=False)

    assert share_attendance_sheet(world["session"]) == 0
    assert not shared_emails().exists()


def test_an_inter_company_attendance_sheet_is_never_sent(world):
    session = world["session"]
    session.client_organisation = None
    session.save()

    with pytest.raises(SharingError, match="inter-company session names other organisations' trainees"):
        share_attendance_sheet(session)
    assert not shared_emails().exists()
    assert not AuditLogEntry.objects.filter(event="attendance_sheet.shared").exists()


def test_the_command_sends_the_sheet_and_refuses_an_inter_company_session_with_its_reason(world):
    out = StringIO()
    call_command("share_attendance_sheet", session=world["session"].pk, stdout=out)
    assert "sent in 1 e-mail(s)" in out.getvalue()
    assert [email.to for email in shared_emails()] == [["camille@cooperative.example"]]

    world["session"].client_organisation = None
    world["session"].save()
    with pytest.raises(CommandError, match="names other organisations' trainees"):
        call_command("share_attendance_sheet", session=world["session"].pk)
    with pytest.raises(CommandError, match="No session with id 999999"):
        call_command("share_attendance_sheet", session=999999)
