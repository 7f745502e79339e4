"""Right to erasure across every app (GDPR art. 17): a trainee with an enrolment, signed attendance,
answers, a certificate and e-mails is erased; only the legal evidence under retention stays.

Retention of attendance and certificates: 3 years after the end of the year of the last payment
(Code du travail R.6353-1; ``academy.attendance.retention``).
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from academy.attendance import services as attendance
from academy.attendance.documents import render_attendance_sheet
from academy.attendance.models import Attendance, Signature
from academy.attendance.retention import enrolment_retention_until
from academy.certification.models import Certificate
from academy.certification.services import start_certificate_batch
from academy.core.models import AuditLogEntry, OutboundEmail, TrainingOrganisation
from academy.core.services import queue_email
from academy.evaluation.models import Response
from academy.evaluation.services import public_figure, submit_response
from academy.privacy.services import apply_retention, erase_person
from tests.factories.attendance import DRAWING
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import end_survey_answers, positioning_answers
from tests.factories.privacy import staff_admin
from tests.factories.scheduling import CourseSessionFactory, TrainerFactory, add_day

from .test_rights import find_in_database

pytestmark = pytest.mark.django_db

EMAIL = "zoe.nunez-lukasiewicz@exemple.fr"
FIRST = "Zoë"
LAST = "Ñúñez-Łukasiewicz"
NEEDLES = [EMAIL, LAST, "%s %s" % (FIRST, LAST)]


def find_in_stored_files(needles: list[str]) -> list[str]:
    """Return the stored files (relative paths) whose text holds a needle; PDFs are read with pypdf."""
    root = Path(settings.MEDIA_ROOT)
    lowered = [n.lower() for n in needles]
    found = []
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if not path.is_file():
            continue
        data = path.read_bytes()
        text = data.decode("utf-8", "ignore")
        if data.startswith(b"%PDF"):
            text += "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        if any(n in text.lower() for n in lowered):
            found.append(str(path.relative_to(root)))
    return found


def pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


class Clock:
    """Sets the current time seen by ``timezone.now()`` while the trainee's story happens."""

    def __init__(self):
        self.monkeypatch = pytest.MonkeyPatch()  # its own: going back to now undoes nothing else

    def at(self, moment: datetime.datetime):
        self.monkeypatch.setattr(timezone, "now", lambda: moment)

    def back_to_now(self):
        self.monkeypatch.undo()


def trainee_story(*, course, day: datetime.date, clock: Clock, capture) -> dict:
    """Run a whole training for Zoë on ``course``: enrolment, e-mails, positioning, signatures, survey, certificate.

    Everything goes through the apps' services at the time it would have happened (``day``).
    Returns the session, trainer, slots, enrolment and certificate.
    """
    course_session = CourseSessionFactory(course=course)
    trainer = TrainerFactory()
    course_session.trainers.add(trainer)
    slots = add_day(course_session, day)
    employer = ClientOrganisationFactory(name="Coopérative des Communs")
    with capture(execute=True):
        clock.at(slots[0].starts_at - datetime.timedelta(days=10))
        enrolment = EnrolmentFactory(
            booking__course_session=course_session,
            booking__client_organisation=employer,
            booking__contact_email="rh@cooperative.exemple",
            first_name=FIRST,
            last_name=LAST,
            email=EMAIL,
            job_title="Cheffe de projet numérique",
            accessibility_needs="Sous-titres pour les vidéos, merci — %s" % FIRST,
        )
        queue_email(
            to=[EMAIL],
            subject="Convocation de %s %s" % (FIRST, LAST),
            body_text="Bonjour %s, votre session a lieu le %s." % (FIRST, day),
        )
        queue_email(
            to=["rh@cooperative.exemple"],
            subject="Inscriptions confirmées",
            body_text="Inscrits : %s %s <%s>, Ada Lovelace" % (FIRST, LAST, EMAIL),
        )
        submit_response(
            enrolment=enrolment,
            kind="positioning_before",
            answers=positioning_answers(enrolment, level=1),
            enforce_window=False,
        )
        for slot in slots:
            clock.at(slot.starts_at + datetime.timedelta(minutes=5))
            attendance.sign_as_trainee(
                slot=slot,
                enrolment=enrolment,
                strokes=DRAWING,
                method=Signature.Method.QR_CODE,
                ip_address="192.0.2.7",
                user_agent="Firefox (%s)" % FIRST,
            )
            clock.at(slot.ends_at - datetime.timedelta(minutes=5))
            attendance.countersign_slot(slot=slot, trainer=trainer, strokes=DRAWING, ip_address="192.0.2.8")
        clock.at(slots[-1].ends_at - datetime.timedelta(minutes=2))
        submit_response(
            enrolment=enrolment,
            kind="positioning_after",
            answers=positioning_answers(enrolment, kind="positioning_after", level=3),
            enforce_window=False,
        )
        submit_response(
            enrolment=enrolment,
            kind="end_of_course",
            enforce_window=False,
            answers=end_survey_answers(
                enrolment, overall=4, recommend=True, comment="Merci ! %s %s, Coopérative des Communs" % (FIRST, LAST)
            ),
        )
        clock.at(slots[-1].ends_at + datetime.timedelta(days=1))
        # The bundled organisation file leaves the legal identity empty; certificates need it.
        TrainingOrganisation.objects.update(
            legal_representative="Camille Martin", siret="12345678900015", declaration_number="11759999975"
        )
        start_certificate_batch(course_session=course_session)
    clock.back_to_now()
    certificate = Certificate.objects.get(enrolment=enrolment)
    return {
        "session": course_session,
        "trainer": trainer,
        "slots": slots,
        "enrolment": enrolment,
        "certificate": certificate,
    }


@pytest.fixture
def clock():
    clock = Clock()
    yield clock
    clock.back_to_now()


def erase(capture) -> dict:
    with capture(execute=True):
        return erase_person(email=EMAIL.upper(), by=staff_admin())


def test_erased_trainee_with_enrolment_attendance_answers_and_certificate_is_found_nowhere_once_retention_ended(
    seed_course, clock, django_capture_on_commit_callbacks
):
    story = trainee_story(
        course=seed_course, day=datetime.date(2021, 3, 15), clock=clock, capture=django_capture_on_commit_callbacks
    )
    certificate = story["certificate"]
    pdf_name = certificate.pdf.name
    # The story left the person everywhere: the checks below can fail.
    assert LAST in pdf_text(default_storage.open(pdf_name).read())
    assert OutboundEmail.objects.filter(to=[EMAIL]).count() >= 2  # convocation and certificate
    assert Signature.objects.filter(enrolment=story["enrolment"]).count() == 2
    assert Response.objects.filter(enrolment=story["enrolment"]).count() == 3
    assert enrolment_retention_until(enrolment=story["enrolment"]) == datetime.date(2024, 12, 31) < timezone.localdate()
    assert "certification_certificate.holder_name" in find_in_database(NEEDLES)

    report = erase(django_capture_on_commit_callbacks)

    assert find_in_database(NEEDLES) == []
    assert find_in_stored_files(NEEDLES) == []
    assert not default_storage.exists(pdf_name)
    # Two signatures and two attendance rows; the certificate and the batch report line naming her.
    assert report["changed"]["attendance"] == 4 and report["changed"]["certification"] == 2
    assert not Certificate.objects.exists()
    assert not Signature.objects.filter(role=Signature.Role.TRAINEE).exists()
    assert Signature.objects.filter(role=Signature.Role.TRAINER).count() == 2  # the trainer's own evidence
    entry = AuditLogEntry.objects.get(action="erase")
    assert EMAIL not in entry.summary and LAST not in entry.summary


def test_erasure_within_retention_keeps_only_the_legal_evidence(seed_course, clock, django_capture_on_commit_callbacks):
    day = timezone.localdate() - datetime.timedelta(days=30)
    story = trainee_story(course=seed_course, day=day, clock=clock, capture=django_capture_on_commit_callbacks)
    certificate = story["certificate"]

    report = erase(django_capture_on_commit_callbacks)

    assert any("Attendance records and signatures" in line for line in report["retained"])
    assert any("Certificates of completion" in line for line in report["retained"])
    # Kept: the certificate and the end-of-training attestation issued with it (rows and PDFs, which
    # name the holder), the signed attendance and the name the attendance sheet prints beside it.
    assert sorted(find_in_database(NEEDLES)) == [
        "attendance_retainedtraineename.full_name",
        "certification_attestation.holder_name",
        "certification_certificate.holder_name",
    ]
    assert sorted(find_in_stored_files(NEEDLES)) == sorted([certificate.pdf.name, certificate.attestation.pdf.name])
    assert Signature.objects.filter(enrolment=story["enrolment"], role=Signature.Role.TRAINEE).count() == 2
    assert Attendance.objects.filter(enrolment=story["enrolment"]).count() == 2
    assert "%s %s" % (FIRST, LAST) in pdf_text(render_attendance_sheet(course_session=story["session"]))
    certificate.refresh_from_db()
    assert certificate.holder_name == "%s %s" % (FIRST, LAST) and certificate.status == Certificate.Status.CURRENT
    # Everything else anonymised: the trainee's own signature metadata too (not evidence of presence).
    assert Response.objects.filter(course_session=story["session"], enrolment__isnull=True).count() == 3


def test_the_evidence_kept_at_erasure_goes_with_the_retention_job_once_its_period_ends(
    seed_course, clock, django_capture_on_commit_callbacks
):
    day = timezone.localdate() - datetime.timedelta(days=30)
    story = trainee_story(course=seed_course, day=day, clock=clock, capture=django_capture_on_commit_callbacks)
    pdf_name = story["certificate"].pdf.name
    attestation_name = story["certificate"].attestation.pdf.name
    someone_else = EnrolmentFactory(booking__course_session=story["session"], first_name="Ada", last_name="Lovelace")
    attendance.record_attendance(slot=story["slots"][0], enrolment=someone_else, status=Attendance.Status.PRESENT)
    erase(django_capture_on_commit_callbacks)
    until = enrolment_retention_until(enrolment=story["enrolment"])

    with django_capture_on_commit_callbacks(execute=True):
        on_last_day = apply_retention(now=timezone.make_aware(datetime.datetime.combine(until, datetime.time(12))))
    assert on_last_day["attendance"] == 0 and on_last_day["certification"] == 0
    assert sorted(find_in_stored_files(NEEDLES)) == sorted([pdf_name, attestation_name])

    with django_capture_on_commit_callbacks(execute=True):
        after = apply_retention(
            now=timezone.make_aware(datetime.datetime.combine(until, datetime.time(12))) + datetime.timedelta(days=1)
        )
    assert after["attendance"] == 5 and after["certification"] == 1  # 2 signatures, 2 attendance rows, the kept name
    assert find_in_database(NEEDLES) == []
    assert find_in_stored_files(NEEDLES) == []
    assert Attendance.objects.filter(enrolment=someone_else).exists()  # only what an erasure kept goes


def figures_section(html: str) -> str:
    match = re.search(r'<section class="evaluation-figures.*?</section>', html, flags=re.S)
    assert match, "the course page shows no public figure"
    return match.group(0)


def test_erasure_keeps_the_course_public_figure_and_pages_working(
    seed_course, clock, settings, django_capture_on_commit_callbacks
):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 1
    day = timezone.localdate() - datetime.timedelta(days=20)
    story = trainee_story(course=seed_course, day=day, clock=clock, capture=django_capture_on_commit_callbacks)
    course_session = story["session"]
    other = EnrolmentFactory(booking__course_session=course_session, first_name="Ada", last_name="Lovelace")
    submit_response(
        enrolment=other,
        kind="end_of_course",
        enforce_window=False,
        answers=end_survey_answers(other, overall=5, recommend=False),
    )
    public = Client()
    staff = Client()
    staff.force_login(staff_admin())
    pk = course_session.pk
    pages = {
        "course page": (public, seed_course.get_absolute_url()),
        "session enrolment page": (public, reverse("enrolment:enrol", kwargs={"pk": pk})),
        "session calendar": (public, reverse("scheduling:session_ics", kwargs={"pk": pk})),
        "staff enrolment list": (staff, reverse("enrolment:session_enrolments", kwargs={"pk": pk})),
        "enrolment CSV": (staff, reverse("enrolment:session_enrolments_csv", kwargs={"pk": pk})),
        "enrolment XLSX": (staff, reverse("enrolment:session_enrolments_xlsx", kwargs={"pk": pk})),
        "evaluation report": (staff, reverse("evaluation:report", kwargs={"pk": pk})),
        "attendance overview": (staff, reverse("attendance:session", kwargs={"session_id": pk})),
        "attendance sheet": (staff, reverse("attendance:sheet_pdf", kwargs={"session_id": pk})),
        "certificates": (staff, reverse("certification:session", kwargs={"session_id": pk})),
        "certificate PDF": (staff, reverse("certification:pdf", kwargs={"certificate_id": story["certificate"].pk})),
    }
    # The session is over: its public enrolment page answers "gone" (410), before and after alike.
    expected = {name: 410 if name == "session enrolment page" else 200 for name in pages}
    assert {name: client.get(url).status_code for name, (client, url) in pages.items()} == expected
    figure_before = public_figure(course=seed_course)
    section_before = figures_section(public.get(seed_course.get_absolute_url()).content.decode())
    assert figure_before.score_count == 2
    assert LAST in staff.get(pages["enrolment CSV"][1]).content.decode("utf-8-sig")

    erase(django_capture_on_commit_callbacks)

    assert public_figure(course=seed_course) == figure_before
    assert figures_section(public.get(seed_course.get_absolute_url()).content.decode()) == section_before
    assert {name: client.get(url).status_code for name, (client, url) in pages.items()} == expected
    csv = staff.get(pages["enrolment CSV"][1]).content.decode("utf-8-sig")
    assert "Lovelace" in csv and LAST not in csv and EMAIL not in csv
    report = staff.get(reverse("evaluation:report", kwargs={"pk": pk})).content.decode()
    assert LAST not in report
