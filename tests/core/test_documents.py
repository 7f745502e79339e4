"""Every PDF is archival (PDF/A) and uses only the fonts Academy ships; long documents repeat their
header on every page and number the pages "page n / N". Read back with pypdf and ``pdffonts``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from academy.attendance.documents import render_attendance_sheet
from academy.certification.services import issue_certificate
from academy.commerce import agreements, quotes
from academy.core.models import TrainingOrganisation
from academy.invoicing.einvoice import invoice_pdf
from tests.attendance.helpers import trainee, two_day_session
from tests.clientspace.test_client_space import world  # noqa: F401 (fixture: quote, agreement, invoices)
from tests.factories.attendance import sign_slot
from tests.factories.privacy import staff_planner

pytestmark = pytest.mark.django_db

FONTS_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "academy", "static", "academy", "fonts")


def _normalised(font_name: str) -> str:
    """ "NotoSans-Regular" and WeasyPrint's "Noto-Sans" both give "notosans"."""
    name = font_name.replace("-", "").replace(" ", "").lower()
    return name[: -len("regular")] if name.endswith("regular") else name


#: Names of the font files Academy ships (academy/static/academy/fonts), normalised.
SHIPPED_FONTS = {_normalised(os.path.splitext(name)[0]) for name in os.listdir(FONTS_DIR) if name.endswith(".ttf")}


def _save(artefacts_dir: str, name: str, pdf: bytes) -> str:
    path = os.path.join(artefacts_dir, "documents", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(pdf)
    return path


def _fonts(path: str) -> list[tuple[str, str]]:
    """``pdffonts`` rows as (font name without subset prefix, embedded yes/no)."""
    if shutil.which("pdffonts") is None:
        pytest.fail("pdffonts (poppler-utils) is needed to check embedded fonts")
    output = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        name = parts[0].split("+", 1)[-1]
        # columns after the name: type (1–2 words), encoding, emb, sub, uni, object ID
        emb = parts[-5]
        rows.append((name, emb))
    return rows


def _assert_archival_with_shipped_fonts(path: str) -> None:
    reader = PdfReader(path)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert re.search(r"pdfaid:part(>|=\")3", xmp), "%s does not declare PDF/A" % path
    fonts = _fonts(path)
    assert fonts, path
    for name, embedded in fonts:
        assert embedded == "yes", (path, name)
        assert _normalised(name) in SHIPPED_FONTS, "%s embeds %s, not a shipped font" % (path, name)


def _sheet_of_thirty():
    session, trainer, slots = two_day_session(title="Les communs numériques")
    people = [trainee(session, first_name="Stagiaire%02d" % n, last_name="Ñúñez-Łukasiewicz") for n in range(30)]
    for slot in slots[:2]:
        for enrolment in people[:3]:
            sign_slot(slot, enrolment, trainer)
    return session, people


def test_a_30_trainee_attendance_sheet_repeats_its_header_and_numbers_every_page(artefacts_dir):
    session, _people = _sheet_of_thirty()
    pdf = render_attendance_sheet(course_session=session)
    path = _save(artefacts_dir, "attendance-sheet-30-trainees.pdf", pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", path, path[:-4]], check=False)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]
    total = len(pages)
    assert total >= 3  # two days of 30 trainees
    for number, text in enumerate(pages, start=1):
        assert "Feuille d’émargement — Les communs numériques" in text, number
        assert "Stagiaire Matin" in text or "Stagiaire Après-midi" in text, number  # the table's header row
        assert "page %d / %d" % (number, total) in text, number
    everyone = " ".join(pages)
    assert all("Stagiaire%02d" % n in everyone for n in range(30))
    _assert_archival_with_shipped_fonts(path)


def test_every_document_is_pdf_a_with_only_shipped_fonts(client, world, seed_course, artefacts_dir):  # noqa: F811
    session, people = _sheet_of_thirty()
    past, past_trainer, past_slots = two_day_session()
    graduate = trainee(past, first_name="Inès", last_name="Órfão")
    for slot in past_slots:
        sign_slot(slot, graduate, past_trainer)
    TrainingOrganisation.objects.update(
        legal_representative="Camille Martin", siret="12345678900015", declaration_number="11759999975"
    )
    documents = {
        "programme.pdf": client.get(reverse("catalog:programme_pdf", args=[seed_course.code])).content,
        "attendance-sheet.pdf": render_attendance_sheet(course_session=session),
        "certificate.pdf": issue_certificate(enrolment=graduate, send=False).pdf.read(),
        "quote.pdf": quotes.quote_pdf(world["our_quote"]),
        "agreement.pdf": agreements.agreement_pdf(world["our_agreement"]),
        "invoice.pdf": invoice_pdf(world["our_invoice"]),
    }
    client.force_login(staff_planner(username="planning"))
    for name, url in {
        "evaluation-opening.pdf": reverse("evaluation:session_opening_print", args=[past.pk]),
        "evaluation-report.pdf": reverse("evaluation:report_export", args=[past.pk, "pdf"]),
        "attendance-sheet-download.pdf": reverse("attendance:sheet_pdf", args=[past.pk]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
        documents[name] = response.content
    for name, pdf in documents.items():
        _assert_archival_with_shipped_fonts(_save(artefacts_dir, name, pdf))
    programme = " ".join(page.extract_text() for page in PdfReader(BytesIO(documents["programme.pdf"])).pages)
    assert "◦" not in programme
