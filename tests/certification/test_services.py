import datetime
import os
import threading
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import ProtectedError
from pypdf import PdfReader

from academy.attendance.retention import RetentionError, enrolment_retention_until, ensure_deletable, retention_until
from academy.attendance.services import record_attendance
from academy.certification.models import Certificate
from academy.certification.services import (
    CertificateError,
    correct_certificate,
    issue_certificate,
    render_certificate_pdf,
    revoke_certificate,
)
from academy.core.models import OutboundEmail
from tests.attendance.helpers import trainee, two_day_session
from tests.factories.attendance import sign_slot

pytestmark = pytest.mark.django_db

ARABIC_NAME = "ليلى عبد الرحمن"


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space (line breaks included) collapsed to one space."""
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def attended(session, trainer, slots, enrolment, indexes):
    for index in indexes:
        sign_slot(slots[index], enrolment, trainer)


def test_a_trainee_absent_one_half_day_of_two_days_gets_10_5_hours_and_the_right_dates():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0, 1, 3])
    record_attendance(slot=slots[2], enrolment=enrolment, status="absent")
    certificate = issue_certificate(enrolment=enrolment, send=False)
    assert certificate.hours == Decimal("10.50")
    assert (certificate.first_date, certificate.last_date) == (datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    text = pdf_text(default_storage.open(certificate.pdf.name).read())
    assert "10,5 heures" in text
    assert "du 27/03/2026 au 30/03/2026" in text


@pytest.mark.parametrize(
    "days",
    [
        (datetime.date(2026, 3, 27), datetime.date(2026, 3, 30)),
        (datetime.date(2026, 10, 23), datetime.date(2026, 10, 26)),
    ],
)
def test_fc03_the_certificate_of_a_session_across_the_clock_change_counts_14_hours(days):
    session, trainer, slots = two_day_session(*days)
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, range(4))
    certificate = issue_certificate(enrolment=enrolment, send=False)
    assert certificate.hours == Decimal("14.00")
    assert (certificate.first_date, certificate.last_date) == days
    text = pdf_text(default_storage.open(certificate.pdf.name).read())
    assert "du %s au %s" % (days[0].strftime("%d/%m/%Y"), days[1].strftime("%d/%m/%Y")) in text
    assert "14 heures" in text


def test_the_certificate_follows_the_ministry_model_with_one_nature_ticked(settings):
    session, trainer, slots = two_day_session(title="Sécurité électrique — habilitation B1V")
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    certificate = issue_certificate(enrolment=enrolment, nature=Certificate.Nature.SKILLS_ASSESSMENT, send=False)
    reader = PdfReader(BytesIO(default_storage.open(certificate.pdf.name).read()))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        "CERTIFICAT DE RÉALISATION",
        "Camille Martin",
        "Académie Exemple SAS",
        "Société Générale d'Électricité",
        "Sécurité électrique — habilitation B1V",
        "Action de formation",
        "Bilan de compétences",
        "Action de VAE",
        "Action de formation par apprentissage",
        "Fait à",
        "Paris",
        "3 ans à compter de la fin de l'année du dernier paiement",
        settings.SITE_URL + "/certificates/verify/",
        certificate.public_id,
    ):
        assert expected in text, expected
    assert text.count("X") == 1 and text.index("X") < text.index("Bilan de compétences") < text.index("Action de VAE")


def test_the_certificate_is_pdf_a():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    data = default_storage.open(issue_certificate(enrolment=enrolment, send=False).pdf.name).read()
    root = PdfReader(BytesIO(data)).trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
    assert "/OutputIntents" in root


@pytest.mark.parametrize(
    "first_name,last_name",
    [
        ("Zoë", "Ñúñez-Łukasiewicz"),
        ("Nguyễn", "Thị Ánh"),
    ],
)
def test_fc05_every_name_prints_exactly_on_the_certificate(first_name, last_name):
    session, trainer, slots = two_day_session(title="Sécurité électrique — habilitation B1V")
    enrolment = trainee(session, first_name=first_name, last_name=last_name)
    attended(session, trainer, slots, enrolment, range(4))
    text = pdf_text(default_storage.open(issue_certificate(enrolment=enrolment, send=False).pdf.name).read())
    assert "%s %s" % (first_name, last_name) in text
    assert "Sécurité électrique — habilitation B1V" in text
    assert "14 heures" in text
    assert "?" not in text and "■" not in text and "\ufffd" not in text


def test_fc05_an_arabic_name_prints_with_its_letters_and_a_long_name_stays_on_one_page(artefacts_dir):
    session, trainer, slots = two_day_session()
    long_last_name = "Ñúñez-Łukasiewicz-" * 5 + "Wolfeschlegelsteinhausenbergerdorff"
    arabic = trainee(session, first_name=ARABIC_NAME.split()[0], last_name=" ".join(ARABIC_NAME.split()[1:]))
    long_one = trainee(session, first_name="Zoë", last_name=long_last_name)
    for enrolment in (arabic, long_one):
        attended(session, trainer, slots, enrolment, range(4))
    arabic_pdf = default_storage.open(issue_certificate(enrolment=arabic, send=False).pdf.name).read()
    with open(os.path.join(artefacts_dir, "certificate-fc05-arabic.pdf"), "wb") as handle:
        handle.write(arabic_pdf)
    arabic_text = pdf_text(arabic_pdf)
    assert "\ufffd" not in arabic_text
    for word in ARABIC_NAME.split():
        assert word in arabic_text or word[::-1] in arabic_text, word
    long_pdf = default_storage.open(issue_certificate(enrolment=long_one, send=False).pdf.name).read()
    with open(os.path.join(artefacts_dir, "certificate-fc05-long-name.pdf"), "wb") as handle:
        handle.write(long_pdf)
    long_reader = PdfReader(BytesIO(long_pdf))
    assert len(long_reader.pages) == 1
    assert "Wolfeschlegelsteinhausenbergerdorff" in long_reader.pages[0].extract_text().replace("\n", "").replace(
        " ", ""
    )


def test_a_certificate_needs_at_least_one_countersigned_half_day():
    session, _trainer, _slots = two_day_session()
    with pytest.raises(CertificateError, match="no half-day signed by both"):
        issue_certificate(enrolment=trainee(session), send=False)


def test_asking_twice_gives_the_same_certificate_and_one_e_mail(django_capture_on_commit_callbacks):
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    with django_capture_on_commit_callbacks(execute=True):
        first = issue_certificate(enrolment=enrolment)
        second = issue_certificate(enrolment=enrolment)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1
    emails = OutboundEmail.objects.filter(category="certificate")
    assert emails.count() == 1
    assert emails.get().to == [enrolment.email]
    assert emails.get().attachments[0]["mimetype"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_fc08_the_same_certificate_asked_twice_at_once_is_stored_once(require_postgresql):
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0, 1])
    barrier = threading.Barrier(2)
    results, errors = [], []

    def ask():
        try:
            barrier.wait(timeout=10)
            results.append(issue_certificate(enrolment=enrolment, send=False).pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_fc08_the_database_holds_one_current_certificate_per_enrolment():
    from django.db import IntegrityError, transaction

    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    certificate = issue_certificate(enrolment=enrolment, send=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            enrolment=enrolment,
            version=2,
            holder_name="x",
            course_title="x",
            issuer_name="x",
            place="x",
            first_date=certificate.first_date,
            last_date=certificate.last_date,
            hours=1,
            issued_at=certificate.issued_at,
        )


def test_a_correction_issues_a_new_version_and_supersedes_the_old_one():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    old = issue_certificate(enrolment=enrolment, send=False)
    attended(session, trainer, slots, enrolment, [1])
    new = correct_certificate(certificate=old, reason="Après-midi émargée oubliée", send=False)
    old.refresh_from_db()
    assert (old.status, new.status, new.version, new.supersedes_id) == ("superseded", "current", 2, old.pk)
    assert (old.hours, new.hours) == (Decimal("3.50"), Decimal("7.00"))
    assert issue_certificate(enrolment=enrolment, send=False).pk == new.pk
    assert new.public_id != old.public_id


def test_a_superseded_version_cannot_be_corrected_again():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    old = issue_certificate(enrolment=enrolment, send=False)
    correct_certificate(certificate=old, reason="Correction", send=False)
    with pytest.raises(CertificateError, match="Only the current version"):
        correct_certificate(certificate=old, reason="Encore", send=False)


def test_revoking_needs_a_reason_and_marks_the_certificate_revoked():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    certificate = issue_certificate(enrolment=enrolment, send=False)
    with pytest.raises(CertificateError, match="Say why"):
        revoke_certificate(certificate=certificate, reason=" ")
    revoked = revoke_certificate(certificate=certificate, reason="Émis par erreur")
    assert revoked.status == "revoked" and revoked.revoked_at is not None


def test_certificates_are_protected_from_deleting_their_enrolment():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    issue_certificate(enrolment=enrolment, send=False)
    with pytest.raises(ProtectedError):
        enrolment.delete()


def test_retention_runs_to_the_end_of_the_third_year_after_the_last_payment():
    assert retention_until(last_payment_on=datetime.date(2026, 3, 30)) == datetime.date(2029, 12, 31)
    assert retention_until(last_payment_on=datetime.date(2026, 12, 31)) == datetime.date(2029, 12, 31)


def test_evidence_is_kept_until_three_years_after_the_later_of_payment_and_training():
    session, _trainer, _slots = two_day_session()
    enrolment = trainee(session)
    assert enrolment_retention_until(enrolment=enrolment, last_payment_on=datetime.date(2027, 2, 1)) == datetime.date(
        2030, 12, 31
    )
    with pytest.raises(RetentionError, match="kept until 31/12/2029"):
        ensure_deletable(enrolment=enrolment, today=datetime.date(2029, 12, 31))
    ensure_deletable(enrolment=enrolment, today=datetime.date(2030, 1, 1))


def test_the_certificate_renders_from_its_snapshot_not_from_changed_data():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    attended(session, trainer, slots, enrolment, [0])
    certificate = issue_certificate(enrolment=enrolment, send=False)
    enrolment.last_name = "Changé"
    enrolment.save()
    assert "Ñúñez-Łukasiewicz" in pdf_text(render_certificate_pdf(certificate))
