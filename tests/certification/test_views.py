import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from academy.certification.models import Certificate, CertificateBatch
from academy.certification.services import correct_certificate, download_token, issue_certificate, revoke_certificate
from academy.core.models import OutboundEmail
from tests.attendance.helpers import trainee, two_day_session
from tests.factories.attendance import sign_slot
from tests.factories.privacy import staff_planner

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    session, trainer, slots = two_day_session(title="Masterclass Communs numériques")
    enrolment = trainee(session)
    for slot in slots[:3]:
        sign_slot(slot, enrolment, trainer)
    return issue_certificate(enrolment=enrolment, send=False)


@pytest.fixture
def staff(client):
    client.force_login(staff_planner(username="staff"))
    return client


def test_the_verification_page_shows_a_valid_certificate_with_its_facts(client, certificate):
    html = client.get(reverse("certification:verify", args=[certificate.public_id])).content.decode()
    assert "Ce certificat est valide." in html
    for fact in (
        "Académie Exemple SAS",
        "Zoë Ñúñez-Łukasiewicz",
        "Masterclass Communs numériques",
        "27/03/2026",
        "30/03/2026",
        "10,5",
    ):
        assert fact in html, fact


def test_the_verification_page_says_superseded_after_a_correction(client, certificate):
    new = correct_certificate(certificate=certificate, reason="Nature corrigée", nature="skills_assessment", send=False)
    assert (
        "remplacé par une version corrigée"
        in client.get(reverse("certification:verify", args=[certificate.public_id])).content.decode()
    )
    assert (
        "Ce certificat est valide."
        in client.get(reverse("certification:verify", args=[new.public_id])).content.decode()
    )


def test_the_verification_page_says_revoked(client, certificate):
    revoke_certificate(certificate=certificate, reason="Émis par erreur")
    html = client.get(reverse("certification:verify", args=[certificate.public_id])).content.decode()
    assert "Ce certificat a été révoqué." in html
    assert "Ce certificat est valide." not in html


@pytest.mark.parametrize(
    "tamper",
    [
        lambda pid: pid[:-1] + ("0" if pid[-1] != "0" else "1"),
        lambda pid: pid.upper(),
        lambda pid: pid + "00",
        lambda pid: "../" + pid,
        lambda pid: pid[:10] + "%27%22%3Cscript%3E",
    ],
)
def test_a_tampered_identifier_answers_not_found(client, certificate, tamper):
    response = client.get("/certificates/verify/%s/" % tamper(certificate.public_id))
    assert response.status_code == 404


def test_the_identifier_carries_128_random_bits():
    assert len({Certificate._meta.get_field("public_id").default() for _ in range(50)}) == 50
    assert len(Certificate._meta.get_field("public_id").default()) == 32


def test_the_trainee_download_link_serves_the_pdf_and_a_forged_one_is_not_found(client, certificate):
    response = client.get(reverse("certification:download", args=[download_token(certificate)]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("certification:download", args=[download_token(certificate) + "x"])).status_code == 404


def test_only_staff_open_the_certificates_page(client, certificate):
    url = reverse("certification:session", args=[certificate.enrolment.course_session_id])
    assert client.get(url).status_code == 302
    client.force_login(get_user_model().objects.create_user("trainee", password="x" * 14))
    assert client.get(url).status_code == 302


def test_issuing_a_whole_session_in_the_background_sends_each_trainee_their_own(
    staff, django_capture_on_commit_callbacks
):
    session, trainer, slots = two_day_session()
    zoe = trainee(session)
    anh = trainee(session, first_name="Nguyễn", last_name="Thị Ánh")
    absent = trainee(session, first_name="Absent", last_name="Toujours")
    for enrolment in (zoe, anh):
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("certification:start_batch", args=[session.pk]))
    response = staff.get(reverse("certification:session", args=[session.pk]))
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.total, batch.done, batch.skipped, batch.progress_pct) == ("done", 3, 2, 1, 100)
    html = response.content.decode()
    assert "Absent Toujours" in html and "aucune demi-journée signée" in html
    emails = OutboundEmail.objects.filter(category="certificate")
    assert sorted(tuple(e.to) for e in emails) == sorted([(zoe.email,), (anh.email,)])
    assert all(len(e.to) == 1 and e.attachments[0]["filename"].endswith(".pdf") for e in emails)
    assert not Certificate.objects.filter(enrolment=absent).exists()
    progress = staff.get(reverse("certification:batch_progress", args=[batch.pk])).json()
    assert progress == {"status": "done", "total": 3, "done": 2, "skipped": 1, "progress_pct": 100}


def test_staff_revoke_from_the_page_with_a_reason(staff, certificate):
    url = reverse("certification:revoke", args=[certificate.pk])
    response = staff.post(url, {"reason": ""}, follow=True)
    assert "Indiquez pourquoi le certificat est révoqué." in response.content.decode()
    staff.post(url, {"reason": "Doublon"})
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_the_certificates_page_runs_a_bounded_number_of_queries(staff, django_assert_max_num_queries):
    session, trainer, slots = two_day_session()
    url = reverse("certification:session", args=[session.pk])
    for index in range(2):
        enrolment = trainee(session, last_name="A%d" % index)
        sign_slot(slots[0], enrolment, trainer)
    with django_assert_max_num_queries(12):
        assert staff.get(url).status_code == 200
    for index in range(2, 12):
        enrolment = trainee(session, last_name="A%d" % index)
        sign_slot(slots[0], enrolment, trainer)
    with django_assert_max_num_queries(12):
        assert staff.get(url).status_code == 200


def test_a_big_batch_is_shared_out_in_parts_between_background_tasks(
    staff, django_capture_on_commit_callbacks, monkeypatch
):
    from academy.certification import services

    monkeypatch.setattr(services, "CERTIFICATES_PER_TASK", 2)
    parts = []
    run_part = services.process_certificate_part

    def spy(*, batch_id, enrolment_ids):
        parts.append(enrolment_ids)
        return run_part(batch_id=batch_id, enrolment_ids=enrolment_ids)

    monkeypatch.setattr(services, "process_certificate_part", spy)
    session, trainer, slots = two_day_session()
    people = [trainee(session, first_name="Stagiaire", last_name="N%d" % n) for n in range(5)]
    for enrolment in people[:4]:
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("certification:start_batch", args=[session.pk]))
    assert [len(part) for part in parts] == [2, 2, 1]
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.total, batch.done, batch.skipped) == ("done", 5, 4, 1)
    assert [line["enrolment"] for line in batch.report] == sorted(p.pk for p in people)
    assert Certificate.objects.filter(enrolment__in=people[:4]).count() == 4
