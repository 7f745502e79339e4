"""End-of-training attestations (Code du travail L6353-1), issued with each certificate."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from academy.certification.models import Attestation
from academy.certification.services import correct_certificate
from academy.core.models import OutboundEmail
from tests.compliance.quality_world import TRAINEE_NAME, complete_session
from tests.conftest import SEED_OBJECTIVES

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def test_the_attestation_pdf_states_the_trainee_objectives_and_evaluation_results(seed_course, artefacts_dir):
    world = complete_session(seed_course)
    attestation = Attestation.objects.get(certificate=world.certificates[0])
    data = default_storage.open(attestation.pdf.name).read()
    with open("%s/attestation-de-fin-de-formation.pdf" % artefacts_dir, "wb") as handle:
        handle.write(data)
    text = normalise(pdf_text(data))
    assert " ".join(TRAINEE_NAME) in text
    assert "ATTESTATION DE FIN DE FORMATION" in text and "L6353-1" in text
    for objective in SEED_OBJECTIVES:
        assert normalise(objective) in text
    # The trainee positioned herself at 1 before and 3 after on each objective: achieved.
    assert text.count("1 — J'en ai entendu parler") == len(SEED_OBJECTIVES)
    assert text.count("3 — Je sais mettre en pratique") == len(SEED_OBJECTIVES)
    assert text.count("Atteint") == len(SEED_OBJECTIVES)
    assert "Objectifs atteints : 4 sur 4" in text
    assert "Action de formation" in text
    assert "7 heures suivies, sur 7 heures prévues" in text


def test_the_attestation_is_pdf_a_like_the_certificate(seed_course):
    world = complete_session(seed_course)
    data = default_storage.open(Attestation.objects.get(certificate=world.certificates[1]).pdf.name).read()
    root = PdfReader(BytesIO(data)).trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
    text = normalise(pdf_text(data))
    assert "Léon Martin" in text and "Pas encore atteint" in text  # positioned at 2 after the course
    assert "3,5 heures suivies" in text  # absent in the afternoon


def test_a_correction_issues_a_new_attestation_with_the_new_certificate(seed_course):
    world = complete_session(seed_course)
    corrected = correct_certificate(certificate=world.certificates[0], reason="Nom corrigé", send=False)
    attestations = Attestation.objects.filter(enrolment=world.enrolments[0]).select_related("certificate")
    assert [a.is_current for a in attestations.order_by("pk")] == [False, True]
    assert corrected.attestation.pk == attestations.order_by("pk").last().pk


def test_the_attestation_is_attached_to_the_certificate_e_mail(seed_course):
    from academy.certification.services import send_certificate

    world = complete_session(seed_course)
    send_certificate(certificate=world.certificates[0])
    email = OutboundEmail.objects.filter(category="certificate").latest("pk")
    names = [
        attachment["filename"] if isinstance(attachment, dict) else attachment[0] for attachment in email.attachments
    ]
    assert any(name.startswith("attestation-fin-de-formation-") for name in names)


def test_staff_open_the_attestation_from_the_certificates_page(seed_course):
    from django.test import Client
    from django.urls import reverse

    world = complete_session(seed_course)
    client = Client()
    client.force_login(world.staff)
    page = client.get(reverse("certification:session", args=[world.course_session.pk])).content.decode()
    url = reverse("certification:attestation_pdf", args=[world.certificates[0].pk])
    assert url in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert " ".join(TRAINEE_NAME) in pdf_text(b"".join(response.streaming_content))
