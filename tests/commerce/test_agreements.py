"""Training agreements and contracts: mandatory items, PDF, signature of the exact bytes, the
10-day withdrawal period and the 30 % advance of training contracts, amendments."""

from __future__ import annotations

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from academy.commerce import agreements, quotes
from academy.commerce.models import Agreement
from academy.core.models import AuditLogEntry, OutboundEmail
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.catalog import LearningObjectiveFactory
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.privacy import client_contact_user, staff_planner

from .factories import published_terms

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def organisation():
    return TrainingOrganisationFactory()


@pytest.fixture
def terms_v1():
    return published_terms(version=1)


def booking_with_course(*people, **kwargs):
    session = open_session()
    LearningObjectiveFactory(course=session.course, text="Cartographier les communs numériques")
    return enrol_people(session, *(people or (trainee(1), trainee(2))), **kwargs)


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_a_booking_with_an_organisation_gives_a_convention_with_every_mandatory_item(terms_v1):
    booking = booking_with_course()
    agreement = agreements.draft_from_booking(booking)
    assert agreement.kind == Agreement.Kind.AGREEMENT
    assert agreements.missing_items(agreement) == []
    agreement = agreements.issue(agreement)
    text = pdf_text(bytes(agreement.pdf))
    session = booking.course_session
    for expected in (
        "Convention de formation professionnelle",
        "Société Exemple",
        session.course.title,
        "Cartographier les communs numériques",
        "L6313-1",
        "7 h",
        "mardi 30 mars 2027",
        "12, rue de la Paix",
        "Núñez 1",
        "Núñez 2",
        "Apports théoriques et pratique.",
        "Auto-positionnement en amont et en aval.",
        "1 900,00 €",
        "30 jours",
        "version 1",
        "/terms/v1/",
        "/internal-rules/",
        "L6352-3",
    ):
        assert expected in text, expected
    assert agreement.pdf_sha256 == hashlib.sha256(bytes(agreement.pdf)).hexdigest()
    assert AuditLogEntry.objects.get(event="agreement.issued").data["sha256"] == agreement.pdf_sha256
    assert OutboundEmail.objects.get(category="commerce.agreement_issued").to == ["contact@exemple.fr"]


def test_a_person_paying_themself_gets_a_contract_with_the_withdrawal_mentions(terms_v1):
    booking = booking_with_course(organisation_name="", funding="personal")
    agreement = agreements.issue(agreements.draft_from_booking(booking))
    assert agreement.kind == Agreement.Kind.CONTRACT
    text = pdf_text(bytes(agreement.pdf))
    for expected in (
        "Contrat de formation professionnelle",
        "Camille Contact",
        "10 jours",
        "L6353-5",
        "30 %",
        "L6353-7",
    ):
        assert expected in text, expected


def test_a_draft_lacking_mandatory_items_cannot_be_issued_and_names_them():
    booking = booking_with_course()
    agreement = agreements.draft_from_booking(booking)  # no terms of sale published
    Agreement.objects.filter(pk=agreement.pk).update(objectives="", place="")
    agreement.refresh_from_db()
    assert agreements.missing_items(agreement) == ["les objectifs", "le lieu", "la version des CGV"]
    with pytest.raises(ValidationError, match="il manque : les objectifs, le lieu, la version des CGV"):
        agreements.issue(agreement)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT and not agreement.pdf


def test_signing_through_the_link_records_name_time_fingerprint_ip_and_browser(client, terms_v1):
    agreement = agreements.issue(agreements.draft_from_booking(booking_with_course()))
    url = reverse("commerce:agreement_sign", kwargs={"token": agreements.signing_token(agreement)})
    pdf = client.get(reverse("commerce:agreement_sign_pdf", kwargs={"token": agreements.signing_token(agreement)}))
    assert pdf.content == bytes(agreement.pdf)
    response = client.post(url, {"signer_name": "  Camille   Contact "}, HTTP_USER_AGENT="Navigateur/1.0")
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert (agreement.signed_name, agreement.signed_ip, agreement.signed_user_agent) == (
        "Camille Contact",
        "127.0.0.1",
        "Navigateur/1.0",
    )
    assert agreement.signed_sha256 == hashlib.sha256(pdf.content).hexdigest()
    assert AuditLogEntry.objects.filter(event="agreement.signed").count() == 1


def test_signing_without_a_name_or_twice_is_refused_with_a_message(client, terms_v1):
    agreement = agreements.issue(agreements.draft_from_booking(booking_with_course()))
    url = reverse("commerce:agreement_sign", kwargs={"token": agreements.signing_token(agreement)})
    response = client.post(url, {"signer_name": " "})
    assert response.status_code == 400 and "Saisissez vos prénom et nom pour signer." in response.content.decode()
    agreements.sign(agreement, name="Camille", ip=None, user_agent="")
    with pytest.raises(ValidationError, match="Ce document n’attend pas de signature."):
        agreements.sign(agreement, name="Camille", ip=None, user_agent="")


def test_the_organisation_countersigns_only_after_the_client(terms_v1):
    staff = staff_planner()
    agreement = agreements.issue(agreements.draft_from_booking(booking_with_course()))
    with pytest.raises(ValidationError, match="Seul un document signé par le client peut être contresigné."):
        agreements.countersign(agreement, by=staff)
    agreements.sign(agreement, name="Camille", ip="203.0.113.5", user_agent="UA")
    agreement = agreements.countersign(agreement, by=staff)
    assert (agreement.status, agreement.countersigned_by) == (Agreement.Status.COUNTERSIGNED, staff)
    assert AuditLogEntry.objects.filter(event="agreement.countersigned").exists()


def test_an_amendment_is_a_new_version_replacing_the_old_one_once_issued(terms_v1):
    agreement = agreements.issue(agreements.draft_from_booking(booking_with_course()))
    amendment = agreements.amend(agreement)
    assert (amendment.version, amendment.status, amendment.replaces) == (2, Agreement.Status.DRAFT, agreement)
    agreements.issue(amendment)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SUPERSEDED
    with pytest.raises(ValidationError):
        agreements.sign(agreement, name="Camille", ip=None, user_agent="")


def contract():
    """A training contract for one person at 950.00 € excl. VAT."""
    return agreements.draft_from_booking(booking_with_course(trainee(1), organisation_name="", funding="personal"))


def test_a_contract_refuses_a_payment_due_before_the_withdrawal_period_ends(terms_v1):
    agreement = contract()
    too_soon = TODAY + datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="avant la fin du délai de rétractation"):
        agreements.set_payment_schedule(
            agreement, [{"due_date": too_soon, "amount_excl_vat": Decimal("100.00"), "is_advance": True}]
        )
    assert not agreement.instalments.exists()


def test_a_contract_refuses_an_advance_above_30_percent_of_the_price(terms_v1):
    agreement = contract()  # one trainee at 950.00: at most 285.00 in advance
    later = TODAY + datetime.timedelta(days=11)
    with pytest.raises(
        ValidationError, match="L’acompte de 285,01 € dépasse 30 % du prix \\(285,00 €, Code du travail L6353-6\\)"
    ):
        agreements.set_payment_schedule(
            agreement, [{"due_date": later, "amount_excl_vat": Decimal("285.01"), "is_advance": True}]
        )
    rows = agreements.set_payment_schedule(
        agreement,
        [
            {"due_date": later, "amount_excl_vat": Decimal("285.00"), "is_advance": True},
            {"due_date": later + datetime.timedelta(days=30), "amount_excl_vat": Decimal("665.00")},
        ],
    )
    assert len(rows) == 2


def test_a_contract_signed_late_refuses_a_schedule_now_inside_the_withdrawal_period(terms_v1):
    agreement = contract()
    agreements.set_payment_schedule(
        agreement, [{"due_date": TODAY + datetime.timedelta(days=11), "amount_excl_vat": Decimal("100.00")}]
    )
    agreement = agreements.issue(agreement)
    from tests.clock import CLOCK

    CLOCK.at(timezone.now() + datetime.timedelta(days=5))
    try:
        with pytest.raises(ValidationError, match="avant la fin du délai de rétractation"):
            agreements.sign(agreement, name="Camille", ip=None, user_agent="")
    finally:
        CLOCK.back_to_now()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ISSUED


def test_a_convention_may_take_an_advance_at_any_date(terms_v1):
    agreement = agreements.draft_from_booking(booking_with_course())
    rows = agreements.set_payment_schedule(
        agreement, [{"due_date": TODAY, "amount_excl_vat": Decimal("1900.00"), "is_advance": True}]
    )
    assert len(rows) == 1


def test_an_accepted_quote_gives_a_convention_draft_and_an_open_quote_does_not(terms_v1):
    from tests.commerce.test_quotes import ready_quote

    quote = quotes.issue(ready_quote())
    with pytest.raises(ValidationError, match="Seul un devis accepté donne une convention."):
        agreements.draft_from_quote(quote)
    quote = quotes.accept(quote, signer_name="Camille Martin")
    agreement = quote.agreements.get()  # drafted on acceptance
    assert (agreement.kind, agreement.price_excl_vat, agreement.party_name) == (
        Agreement.Kind.AGREEMENT,
        Decimal("2500.00"),
        "Société Exemple",
    )
    assert "les dates" in agreements.missing_items(agreement)


def test_a_forged_link_a_draft_link_and_a_foreign_contact_reach_nothing(client, terms_v1):
    draft = agreements.draft_from_booking(booking_with_course())
    for token in ("forged:token:value", agreements.signing_token(draft)):
        assert client.get(reverse("commerce:agreement_sign", kwargs={"token": token})).status_code == 404
        assert client.get(reverse("commerce:agreement_sign_pdf", kwargs={"token": token})).status_code == 404
    client.force_login(client_contact_user())
    for name in ("commerce:staff_agreement", "commerce:staff_agreement_pdf"):
        assert client.get(reverse(name, kwargs={"pk": draft.pk})).status_code in (302, 403, 404)


def test_staff_draft_issue_and_countersign_from_their_pages(client, terms_v1):
    client.force_login(staff_planner())
    booking = booking_with_course()
    response = client.post(reverse("commerce:staff_agreement_from_booking", kwargs={"pk": booking.pk}))
    agreement = Agreement.objects.get(booking=booking)
    assert response.status_code == 302
    url = reverse("commerce:staff_agreement", kwargs={"pk": agreement.pk})
    assert client.post(url, {"action": "issue"}).status_code == 302
    response = client.post(url, {"action": "countersign"})
    assert response.status_code == 400
    assert "Seul un document signé par le client peut être contresigné." in response.content.decode()


def test_a_booking_whose_trainees_are_all_cancelled_gives_no_agreement(client, terms_v1):
    booking = booking_with_course(trainee(1))
    booking.enrolments.update(status="cancelled")
    with pytest.raises(ValidationError) as refused:
        agreements.draft_from_booking(booking)
    assert "aucun stagiaire confirmé" in " ".join(refused.value.messages)
    client.force_login(staff_planner())
    response = client.post(reverse("commerce:staff_agreement_from_booking", kwargs={"pk": booking.pk}), follow=True)
    assert "aucun stagiaire confirmé" in response.content.decode()
    assert not Agreement.objects.filter(booking=booking).exists()
