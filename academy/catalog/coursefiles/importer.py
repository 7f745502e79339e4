"""Importing course files and ``organisation.yaml``: all or nothing, courses matched by code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from academy.core.models import TrainingOrganisation

from ..models import Course, Domain, LearningObjective, ProgrammeItem, ProgrammeSection
from ..services import missing_public_items

# --------------------------------------------------------------------------------------------
# Import and export
from .parsing import parse_course_file, parse_organisation_file
from .schema import COURSE_SUFFIX, ORGANISATION_FILE, CatalogueFileError, CourseData, ImportReport
from .validation import normalise_text, text_checksum


def _collect(paths: Sequence[str | Path]) -> tuple[list[Path], Path | None]:
    course_files: list[Path] = []
    organisation_file: Path | None = None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            course_files.extend(sorted(p for p in path.iterdir() if p.suffix == COURSE_SUFFIX and p.is_file()))
            if (path / ORGANISATION_FILE).is_file():
                organisation_file = path / ORGANISATION_FILE
        elif path.is_file() and path.name == ORGANISATION_FILE:
            organisation_file = path
        elif path.is_file() and path.suffix == COURSE_SUFFIX:
            course_files.append(path)
        elif not path.exists():
            raise CatalogueFileError(path, "no such file or folder")
        else:
            raise CatalogueFileError(path, "not a course file (*.md) nor %s" % ORGANISATION_FILE)
    return course_files, organisation_file


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogueFileError(path, "not UTF-8 text (byte %d)" % exc.start) from exc


def _sync_rows(existing: list, wanted: list, *, update, create) -> list:
    """Reuse ``existing`` rows position by position (keeping their ids), create or delete the rest."""
    rows = []
    for position, value in enumerate(wanted):
        if position < len(existing):
            rows.append(update(existing[position], position, value))
        else:
            rows.append(create(position, value))
    for row in existing[len(wanted) :]:
        row.delete()
    return rows


def _save_course(data: CourseData, *, force: bool) -> dict:
    course = Course.objects.filter(code=data.code).first()
    if course is not None and not force and course.source_checksum == data.checksum:
        return {"code": data.code, "action": "unchanged", "course": course}
    domain = Domain.objects.filter(name=data.domain_name).first()
    if domain is None:
        slug = slugify(data.domain_name) or "domain"
        domain, _created = Domain.objects.get_or_create(slug=slug, defaults={"name": data.domain_name})
    action = "updated" if course is not None else "created"
    course = course or Course(code=data.code)
    for name, value in data.fields.items():
        setattr(course, name, value)
    course.domain = domain
    course.source_checksum = data.checksum
    requested_status = course.status
    if requested_status == Course.Status.PUBLISHED:
        course.status = Course.Status.DRAFT  # published below, once its objectives and programme exist
    course.save()

    def update_objective(row, position, text):
        if (row.position, row.text) != (position, text):
            row.position, row.text = position, text
            row.save(update_fields=["position", "text"])
        return row

    _sync_rows(
        list(course.objectives.order_by("position", "pk")),
        data.objectives,
        update=update_objective,
        create=lambda position, text: LearningObjective.objects.create(course=course, position=position, text=text),
    )

    def update_section(row, position, value):
        title, _items = value
        if (row.position, row.title) != (position, title):
            row.position, row.title = position, title
            row.save(update_fields=["position", "title"])
        return row

    sections = _sync_rows(
        list(course.sections.order_by("position", "pk")),
        data.programme,
        update=update_section,
        create=lambda position, value: ProgrammeSection.objects.create(
            course=course, position=position, title=value[0]
        ),
    )
    for section, (_title, items) in zip(sections, data.programme, strict=False):

        def update_item(row, position, value, section=section):
            kind, text = value
            if (row.position, row.kind, row.text) != (position, kind, text):
                row.position, row.kind, row.text = position, kind, text
                row.save(update_fields=["position", "kind", "text"])
            return row

        _sync_rows(
            list(section.items.order_by("position", "pk")),
            items,
            update=update_item,
            create=lambda position, value, section=section: ProgrammeItem.objects.create(
                section=section, position=position, kind=value[0], text=value[1]
            ),
        )
    missing = missing_public_items(course)
    if requested_status == Course.Status.PUBLISHED and not missing:
        course.status = Course.Status.PUBLISHED
        course.save(update_fields=["status", "updated_at"])
    return {
        "code": data.code,
        "action": action,
        "course": course,
        "kept_as_draft": requested_status == Course.Status.PUBLISHED and bool(missing),
    }


def save_course(data: CourseData, *, force: bool = False) -> dict:
    """Write one parsed course (``CourseData``) as ``import_catalogue`` does, inside the caller's
    transaction; return its report row ``{"code", "action", "course", "kept_as_draft"}``.

    For other formats that carry a course (LHEO), so that every import follows the same rules.
    """
    row = _save_course(data, force=force)
    row.setdefault("kept_as_draft", False)
    return row


def import_catalogue(*, paths: Sequence[str | Path], force: bool = False) -> ImportReport:
    """Load course files and ``organisation.yaml`` from ``paths`` (files or folders), all or nothing.

    Every file is parsed before anything is written; the writes run in one transaction. Courses
    are matched by code (idempotent); a file whose text has not changed since its last import is
    skipped unless ``force`` (so staff edits made in the back office survive a restart). A course
    asking to be published while missing Qualiopi indicator 1 items is kept as a draft.

    Returns an ``ImportReport`` whose rows are ``{"code", "action", "course", "missing",
    "kept_as_draft"}``. Raises ``CatalogueFileError`` (nothing written) on the first bad file or
    on two files sharing a course code.
    """
    course_files, organisation_file = _collect(paths)
    organisation_values = None
    if organisation_file:
        organisation_text = _read(organisation_file)
        organisation_values = parse_organisation_file(organisation_text, path=organisation_file)
        organisation_values["source_checksum"] = text_checksum(normalise_text(organisation_text))
    parsed: list[CourseData] = []
    seen: dict[str, str] = {}
    for path in course_files:
        data = parse_course_file(_read(path), path=path)
        if data.code in seen:
            raise CatalogueFileError(
                path, "course code %s is already used by %s" % (data.code, seen[data.code]), field="code"
            )
        seen[data.code] = str(path)
        parsed.append(data)
    report = ImportReport()
    with transaction.atomic():
        if organisation_values is not None:
            organisation = TrainingOrganisation.objects.select_for_update().order_by("pk").first()
            if organisation is None:
                TrainingOrganisation.objects.create(**organisation_values)
                report.organisation = "%s (created)" % organisation_values["name"]
            elif force or organisation.source_checksum != organisation_values["source_checksum"]:
                for name, value in organisation_values.items():
                    setattr(organisation, name, value)
                organisation.save()
                report.organisation = "%s (updated)" % organisation_values["name"]
            else:
                report.organisation = "%s (unchanged)" % organisation.name
        for data in parsed:
            row = _save_course(data, force=force)
            row.setdefault("kept_as_draft", False)
            row["missing"] = [str(item) for item in missing_public_items(row["course"])]
            report.courses.append(row)
    return report
