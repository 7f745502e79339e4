"""Course files: parsing, canonical writing, import (atomic, idempotent) and export."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DataError, IntegrityError, transaction
from django.utils import translation

from academy.catalog.coursefiles import (
    CatalogueFileError,
    export_catalogue,
    import_catalogue,
    parse_course_file,
    serialise_course,
)
from academy.catalog.models import Course, ProgrammeItem
from academy.core.models import TrainingOrganisation
from tests.conftest import SEED_OBJECTIVES

BUNDLED = Path(settings.BASE_DIR) / "catalogue"

MINIMAL = """---
code: TEST1
title: Une formation
domain: Innovation & Expérimentation
level: fundamentals
time_split:
  lectures: 50
  practice: 30
  discussion: 20
objectives:
- Comprendre
---

## description

Du **gras**.
"""


def _snapshot():
    return sorted(Course.objects.values_list("code", "title", "status", "updated_at"))


@pytest.fixture
def bundled_copy(tmp_path):
    folder = tmp_path / "catalogue"
    shutil.copytree(BUNDLED, folder)
    return folder


def test_bundled_catalogue_imports_the_seed_published_and_dnoco_as_draft(db):
    call_command("import_catalogue")
    assert Course.objects.get(code="COMNUM").status == Course.Status.PUBLISHED
    assert Course.objects.get(code="DNOCO").status == Course.Status.DRAFT
    assert TrainingOrganisation.current().name == "OCTO Academy"


def test_seed_file_keeps_the_seed_text_accents_lists_and_exercises(seed_course):
    assert [o.text for o in seed_course.objectives.all()] == SEED_OBJECTIVES
    sections = list(seed_course.sections.all())
    assert [s.title for s in sections][:2] == ["OUVERTURE DE SESSION", "INTRODUCTION AUX COMMUNS NUMÉRIQUES"]
    assert sections[-1].title == "RAPPEL DES POINTS CLÉS ET CLÔTURE DE LA FORMATION"
    intro_items = list(sections[1].items.all())
    assert intro_items[1].text == "Les grandes typologies de communs :\n\n- Code\n- Contenu\n- Data"
    assert intro_items[3].kind == ProgrammeItem.Kind.EXERCISE
    assert intro_items[3].text.startswith("“Contribution à Wikipédia dans le bac à sable")
    assert seed_course.audience.splitlines()[0] == "- DSI"
    assert "Tristan Nitot" in seed_course.description
    assert seed_course.has_prerequisites is False
    assert (seed_course.split_lectures_pct, seed_course.split_practice_pct, seed_course.split_discussion_pct) == (
        40,
        40,
        20,
    )


def test_import_is_idempotent_by_course_code(db):
    import_catalogue(paths=[BUNDLED])
    objective_ids = list(Course.objects.get(code="COMNUM").objectives.values_list("pk", flat=True))
    report = import_catalogue(paths=[BUNDLED], force=True)
    assert Course.objects.count() == 2
    assert [row["action"] for row in report.courses] == ["updated", "updated"]
    assert list(Course.objects.get(code="COMNUM").objectives.values_list("pk", flat=True)) == objective_ids


def test_unchanged_file_is_skipped_so_back_office_edits_survive_a_restart(db):
    import_catalogue(paths=[BUNDLED])
    Course.objects.filter(code="COMNUM").update(title="Titre modifié en back office")
    report = import_catalogue(paths=[BUNDLED])
    assert report.courses[0]["action"] == "unchanged"
    assert Course.objects.get(code="COMNUM").title == "Titre modifié en back office"


def test_export_import_export_is_byte_identical(db, tmp_path):
    import_catalogue(paths=[BUNDLED])
    first = tmp_path / "first"
    second = tmp_path / "second"
    call_command("export_catalogue", "--output", str(first))
    Course.objects.all().delete()
    call_command("import_catalogue", str(first))
    call_command("export_catalogue", "--output", str(second))
    names = sorted(p.name for p in first.iterdir())
    assert names == ["COMNUM.md", "DNOCO.md", "organisation.yaml"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bundled_files_are_in_the_exporters_canonical_form(db, tmp_path):
    import_catalogue(paths=[BUNDLED])
    export_catalogue(directory=tmp_path)
    for name in ("COMNUM.md", "DNOCO.md", "organisation.yaml"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (BUNDLED / name).read_text(encoding="utf-8"), name


def test_serialised_course_round_trips_through_the_parser(db):
    import_catalogue(paths=[BUNDLED])
    course = Course.objects.get(code="COMNUM")
    data = parse_course_file(serialise_course(course), path="COMNUM.md")
    assert data.objectives == SEED_OBJECTIVES
    assert data.fields["description"] == course.description


def test_broken_file_is_rejected_with_file_line_field_and_reason_and_nothing_imported(db, bundled_copy):
    import_catalogue(paths=[BUNDLED])
    before = _snapshot()
    (bundled_copy / "COMNUM.md").write_text(
        (bundled_copy / "COMNUM.md")
        .read_text(encoding="utf-8")
        .replace("title: Les communs numériques", "title: Nouveau titre"),
        encoding="utf-8",
    )
    broken = MINIMAL.replace("level: fundamentals", "level: expert")
    (bundled_copy / "ZBROKEN.md").write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError, match=r"ZBROKEN\.md, line 5 \(level\): 'expert' is not one of: fundamentals"):
        call_command("import_catalogue", str(bundled_copy))
    assert _snapshot() == before
    assert Course.objects.get(code="COMNUM").title == "Les communs numériques"


def test_time_split_not_totalling_100_names_its_line():
    text = MINIMAL.replace("lectures: 50", "lectures: 60")
    with pytest.raises(
        CatalogueFileError, match=r"x\.md, line 6 \(time_split\): the time split must total 100 %, it totals 110 %"
    ):
        parse_course_file(text, path="x.md")


def test_invalid_yaml_names_the_line():
    text = MINIMAL.replace("objectives:\n- Comprendre", "objectives: [Comprendre")
    with pytest.raises(CatalogueFileError, match=r"x\.md, line 1[0-9]: invalid YAML"):
        parse_course_file(text, path="x.md")


def test_unknown_field_is_rejected():
    with pytest.raises(CatalogueFileError, match=r"line 3 \(colour\): unknown field 'colour'"):
        parse_course_file(MINIMAL.replace("title:", "colour: blue\ntitle:"), path="x.md")


def test_unknown_markdown_section_names_its_line():
    with pytest.raises(CatalogueFileError, match=r"line 18 \(summary\): unknown section “## summary”"):
        parse_course_file(MINIMAL + "\n## summary\n\nTexte\n", path="x.md")


def test_missing_front_matter_is_rejected():
    with pytest.raises(CatalogueFileError, match=r"x\.md, line 1: a course file starts with"):
        parse_course_file("# Titre\n", path="x.md")


def test_text_longer_than_the_field_allows_is_rejected_with_its_field():
    with pytest.raises(CatalogueFileError, match=r"line 3 \(title\): .*250"):
        parse_course_file(MINIMAL.replace("title: Une formation", "title: " + "x" * 300), path="x.md")


def test_two_files_with_the_same_code_are_rejected(db, tmp_path):
    (tmp_path / "A.md").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "B.md").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(CatalogueFileError, match="course code TEST1 is already used by"):
        import_catalogue(paths=[tmp_path])
    assert not Course.objects.exists()


def test_bad_siret_in_organisation_file_is_rejected(db, tmp_path):
    (tmp_path / "organisation.yaml").write_text("name: OCTO Academy\nsiret: '123'\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"organisation\.yaml, line 2 \(siret\): a SIRET is 14 digits"):
        call_command("import_catalogue", str(tmp_path))


def test_course_asking_to_be_published_without_indicator_1_items_is_kept_as_draft(db, tmp_path, capsys):
    (tmp_path / "TEST1.md").write_text(MINIMAL.replace("level:", "status: published\nlevel:"), encoding="utf-8")
    with translation.override("en"):
        call_command("import_catalogue", str(tmp_path))
    assert Course.objects.get(code="TEST1").status == Course.Status.DRAFT
    assert "kept as draft, missing Qualiopi indicator 1 items: target audience" in capsys.readouterr().out


def test_export_refuses_markdown_that_would_read_as_a_section_heading(db, tmp_path):
    import_catalogue(paths=[BUNDLED])
    Course.objects.filter(code="COMNUM").update(description="Intro\n\n## audience\n\nPiège")
    with pytest.raises(CommandError, match="COMNUM: the description text holds a line read as a section heading"):
        call_command("export_catalogue", "--output", str(tmp_path))


def test_crlf_line_endings_from_the_back_office_export_as_lf(db, tmp_path):
    import_catalogue(paths=[BUNDLED])
    Course.objects.filter(code="COMNUM").update(teaching_methods="Ligne 1\r\nLigne 2")
    export_catalogue(directory=tmp_path)
    assert b"\r" not in (tmp_path / "COMNUM.md").read_bytes()


def test_unchanged_organisation_file_keeps_back_office_edits(db):
    import_catalogue(paths=[BUNDLED])
    TrainingOrganisation.objects.update(siret="12345678900015")
    import_catalogue(paths=[BUNDLED])
    assert TrainingOrganisation.current().siret == "12345678900015"
    import_catalogue(paths=[BUNDLED], force=True)
    assert TrainingOrganisation.current().siret == ""


def test_number_out_of_range_for_postgresql_is_refused_with_its_line_on_every_database():
    text = MINIMAL.replace("title: Une formation", "title: Une formation\nduration_hours: 100000000000")
    with pytest.raises(
        CatalogueFileError, match=r"line 4 \(duration_hours\): at most 4 digits before the decimal point"
    ):
        parse_course_file(text, path="x.md")


def test_a_duration_too_large_for_postgresql_is_refused_by_the_database_on_sqlite_too(db):
    import_catalogue(paths=[BUNDLED])
    # PostgreSQL answers with its column size (DataError), SQLite with the check constraint.
    with pytest.raises((IntegrityError, DataError)):
        with transaction.atomic():
            Course.objects.filter(code="COMNUM").update(duration_hours=Decimal("100000"))
