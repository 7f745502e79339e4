"""The yearly report (BPF, Cerfa 10443): every frame against figures computed by hand."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from academy.catalog.models import Course
from academy.compliance.bpf.exports import bpf_csv, bpf_json, bpf_pdf, bpf_xlsx
from academy.compliance.bpf.figures import FiscalYear, compute_bpf, differences
from academy.compliance.bpf.lines import MEASURES
from academy.compliance.bpf.services import BpfError, lock_year, report_for, set_invoice_funding_type
from academy.enrolment.models import Enrolment
from academy.invoicing.models import Invoice
from tests.clock import CLOCK
from tests.english_messages import _english_messages  # noqa: F401 (autouse fixture)

from .bpf_world import build_year

pytestmark = pytest.mark.django_db

YEAR = FiscalYear.starting(2026, 7)


@pytest.fixture
def world():
    try:
        yield build_year()
    finally:
        CLOCK.back_to_now()


@pytest.fixture
def report(world):
    report = report_for(YEAR)
    report.charges_total = Decimal("5000.40")
    report.charges_salaries = Decimal("2000.50")
    report.charges_purchases = Decimal("900.00")
    report.turnover_total = Decimal("14802.00")
    report.save()
    return report


def values(bpf, frame):
    return {line.code: line.values for line in bpf.lines if line.frame == frame}


def test_the_financial_year_follows_the_organisation(world):
    assert FiscalYear.of_organisation(2026) == YEAR
    assert (YEAR.starts_on.isoformat(), YEAR.ends_on.isoformat()) == ("2026-07-01", "2027-06-30")


def test_income_frame_c_sorts_issued_invoices_and_credit_notes_by_funding_type(world, report):
    c = values(compute_bpf(YEAR, report=report), "C")
    # Employer: Alice 1000 + Bruno's remainder 200 + Inès 900 + 300 invoiced then credited (−300).
    assert c["1"] == {"amount": 2100}
    assert c["2e"] == {"amount": 651}  # 650.60 rounded half-up to the euro
    assert c["2h"] == {"amount": 800}  # the OPCO paying directly (subrogation)
    assert c["3"] == {"amount": 650}  # 650.40
    assert c["7"] == {"amount": 1000}  # 999.50 rounded half-up
    assert c["9"] == {"amount": 1000}  # Chloé, paying for herself
    assert c["10"] == {"amount": 1200}  # the training organisation that subcontracted to us
    for code in ("2a", "2b", "2c", "2d", "2f", "2g", "4", "5", "6", "8", "11"):
        assert c[code] == {"amount": 0}
    # The total is the sum of the rounded lines; June 2026's invoice belongs to the year before.
    total = 2100 + 651 + 800 + 650 + 1000 + 1000 + 1200
    assert c["total"] == {"amount": total, "percent": 50}  # 7401 of 14802


def test_charges_frame_d_comes_from_what_staff_entered_rounded_to_the_euro(world, report):
    assert values(compute_bpf(YEAR, report=report), "D") == {
        "total": {"amount": 5000},
        "salaries": {"amount": 2001},
        "purchases": {"amount": 900},
    }


def test_trainers_frame_e_counts_countersigned_slots_internal_and_external(world, report):
    bpf = compute_bpf(YEAR, report=report)
    # Inès (internal): S1 14 h + S3 7 h; Eric (external): S2 7 h; the subcontractor's trainer of
    # S4 is not ours, and June 2026 is outside the year.
    assert values(bpf, "E") == {"internal": {"people": 1, "hours": 21}, "external": {"people": 1, "hours": 7}}
    assert [r.pk for r in bpf.line("E", "internal").records] == [world.trainers.internal.pk]


def test_trainees_frame_f1_counts_signed_hours_only(world, report):
    f1 = values(compute_bpf(YEAR, report=report), "F-1")
    # Private employees: Alice 14, Bruno 14, Emma 6 (afternoons unsigned), Hugo 7.
    assert f1["a"] == {"trainees": 4, "hours": 41}
    assert f1["b"] == {"trainees": 0, "hours": 0}
    # Driss: 13.5 h (30 minutes late), rounded half-up to 14.
    assert f1["c"] == {"trainees": 1, "hours": 14}
    # Chloé: absent on the last afternoon, 10 h.
    assert f1["d"] == {"trainees": 1, "hours": 10}
    # Farid (public employee) and Gaëlle (other), 7 h each.
    assert f1["e"] == {"trainees": 2, "hours": 14}
    assert f1["total"] == {"trainees": 8, "hours": 79}
    assert f1["remote"] == {"trainees": 2, "hours": 14}


def test_subcontracting_frame_f2(world, report):
    assert values(compute_bpf(YEAR, report=report), "F-2") == {
        "received": {"trainees": 1, "hours": 7},
        "given": {"trainees": 1, "hours": 7},
    }


def test_objectives_frame_f3_and_specialities_frame_f4(world, report):
    bpf = compute_bpf(YEAR, report=report)
    f3 = values(bpf, "F-3")
    assert f3["b"] == {"trainees": 2, "hours": 14}  # CERT
    assert f3["d"] == {"trainees": 6, "hours": 65}  # DNOCO 58 h + MGMT 7 h
    assert f3["total"] == {"trainees": 8, "hours": 79}
    f4 = values(bpf, "F-4")
    assert list(f4) == ["326", "315", "413", "other", "total"]  # by hours, most first
    assert f4["326"] == {"trainees": 5, "hours": 58}
    assert f4["315"] == {"trainees": 2, "hours": 14}
    assert f4["413"] == {"trainees": 1, "hours": 7}
    assert f4["other"] == {"trainees": 0, "hours": 0}
    assert f4["total"] == {"trainees": 8, "hours": 79}


def test_a_complete_year_passes_every_check(world, report):
    bpf = compute_bpf(YEAR, report=report)
    assert bpf.complete
    assert [(c.code, c.ok) for c in bpf.checks] == [
        ("income_covered", True),
        ("income_not_negative", True),
        ("f_totals_trainees", True),
        ("f_totals_hours", True),
        ("f3_levels", True),
    ]


def test_missing_category_and_funding_type_are_listed_and_break_the_checks(world, report):
    Enrolment.objects.filter(pk=world.enrolments.e5.pk).update(trainee_category="")
    Invoice.objects.filter(pk=world.invoices.chloe.pk).update(funding_type="")
    bpf = compute_bpf(YEAR, report=report)
    assert not bpf.complete
    assert [r.pk for r in bpf.missing["enrolments"]] == [world.enrolments.e5.pk]
    assert [r.pk for r in bpf.missing["invoices"]] == [world.invoices.chloe.pk]
    checks = {c.code: c for c in bpf.checks}
    assert not checks["income_covered"].ok
    assert [r.pk for r in checks["income_covered"].records] == [world.invoices.chloe.pk]
    assert not checks["f_totals_hours"].ok
    assert [r.pk for r in checks["f_totals_hours"].records] == [world.enrolments.e5.pk]
    assert "F-1: 73, F-3: 79, F-4: 79" in checks["f_totals_hours"].detail
    with pytest.raises(BpfError, match="Complete the records"):
        lock_year(year=YEAR)


def test_rncp_training_is_detailed_by_qualification_level(world, report):
    Course.objects.filter(pk=world.courses.management.pk).update(general_objective="rncp", qualification_level="5")
    f3 = values(compute_bpf(YEAR, report=report), "F-3")
    assert f3["a"] == {"trainees": 1, "hours": 7}
    assert f3["a-5"] == {"trainees": 1, "hours": 7}
    assert all(f3[code] == {"trainees": 0, "hours": 0} for code in ("a-6-8", "a-4", "a-3", "a-2", "a-cqp"))
    assert f3["d"] == {"trainees": 5, "hours": 58}
    assert f3["total"] == {"trainees": 8, "hours": 79}


def test_rncp_training_without_level_is_listed_and_fails_its_check(world, report):
    Course.objects.filter(pk=world.courses.management.pk).update(general_objective="rncp")
    bpf = compute_bpf(YEAR, report=report)
    assert [r.pk for r in bpf.missing["courses"]] == [world.courses.management.pk]
    check = next(c for c in bpf.checks if c.code == "f3_levels")
    assert not check.ok
    assert [r.pk for r in check.records] == [world.enrolments.e8.pk]


def test_a_course_without_nsf_code_is_listed(world, report):
    Course.objects.filter(pk=world.courses.management.pk).update(nsf_code="")
    bpf = compute_bpf(YEAR, report=report)
    assert [r.pk for r in bpf.missing["courses"]] == [world.courses.management.pk]
    assert values(bpf, "F-4")["total"] == {"trainees": 7, "hours": 72}


def test_an_issued_invoice_gets_its_funding_type_completed(world, report):
    Invoice.objects.filter(pk=world.invoices.chloe.pk).update(funding_type="")
    set_invoice_funding_type(invoice=world.invoices.chloe, funding_type="individual")
    assert compute_bpf(YEAR, report=report).complete
    with pytest.raises(BpfError):
        set_invoice_funding_type(invoice=world.invoices.chloe, funding_type="guess")


def test_a_year_without_its_charges_cannot_be_filed(world):
    with pytest.raises(BpfError, match="charges"):
        lock_year(year=YEAR)


def test_locking_keeps_the_figures_and_later_corrections_show_as_differences(world, report):
    locked, bpf = lock_year(year=YEAR)
    assert locked.snapshot == json.loads(bpf_json(bpf))
    with pytest.raises(BpfError, match="already"):
        lock_year(year=YEAR)
    Enrolment.objects.filter(pk=world.enrolments.e6.pk).update(trainee_category="private_employee")
    changes = differences(locked.snapshot, compute_bpf(YEAR, report=report))
    assert {(c["frame"], c["code"], c["measure"], c["filed"], c["now"]) for c in changes} == {
        ("F-1", "a", "trainees", 4, 5),
        ("F-1", "a", "hours", 41, 48),
        ("F-1", "e", "trainees", 2, 1),
        ("F-1", "e", "hours", 14, 7),
    }


def _csv_figures(content: bytes) -> dict:
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ",")
    next(reader)
    return {(frame, code, measure): value for frame, code, _label, measure, value in reader}


def test_csv_and_xlsx_name_each_measure_in_words_in_french_and_in_english(world, report):
    from django.utils import translation
    from openpyxl import load_workbook

    bpf = compute_bpf(YEAR, report=report)
    with translation.override("fr"):
        french = {key[2] for key in _csv_figures(bpf_csv(bpf))}
        sheet = load_workbook(io.BytesIO(bpf_xlsx(bpf))).active
        french_xlsx = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    english = {key[2] for key in _csv_figures(bpf_csv(bpf))}
    assert {"montant (€)", "heures", "stagiaires"} <= french and french_xlsx == french
    assert {"amount (€)", "hours", "trainees"} <= english
    assert not (french | english) & {"amount", "percent"} and "people" not in french


def test_pdf_csv_xlsx_and_json_carry_the_same_figures(world, report, artefacts_dir):
    from openpyxl import load_workbook

    bpf = compute_bpf(YEAR, report=report)
    figures = json.loads(bpf_json(bpf))
    from_json = {
        (frame, code, str(MEASURES[measure])): "" if value is None else str(value)
        for frame, codes in figures["frames"].items()
        for code, measures in codes.items()
        for measure, value in measures.items()
    }
    assert _csv_figures(bpf_csv(bpf)) == from_json

    sheet = load_workbook(io.BytesIO(bpf_xlsx(bpf))).active
    from_xlsx = {
        (frame, code, measure): "" if value is None else str(int(value))
        for frame, code, _label, measure, value in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert from_xlsx == from_json

    pdf = bpf_pdf(bpf)
    with open(os.path.join(artefacts_dir, "bpf-2026.pdf"), "wb") as handle:
        handle.write(pdf)
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Cerfa 10443" in text
    for line in bpf.lines:
        shown = [v for m, v in line.values.items() if not (line.frame == "C" and m == "percent" and v is None)]
        expected = " ".join("—" if v is None else str(v) for v in shown)
        pattern = r"(^|\s)%s%s %s(\s|$)" % (
            re.escape(line.display_code + " ") if line.display_code else "",
            re.escape(" ".join(line.label.split())),
            re.escape(expected),
        )
        assert re.search(pattern, text), "PDF lacks %s %s: %s" % (line.frame, line.code, expected)
