"""Parsing a course file (front matter and Markdown sections) and ``organisation.yaml`` into plain data."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.core.exceptions import ValidationError

from academy.core.models import TrainingOrganisation

from ..models import Course, Domain
from .schema import (
    CODE_RE,
    FRONT_MATTER_KEYS,
    MARKDOWN_SECTIONS,
    ORGANISATION_FILE,
    ORGANISATION_KEYS,
    REQUIRED_KEYS,
    SECTION_RE,
    CatalogueFileError,
    CourseData,
)
from .validation import Reader, check_model_fields, load_yaml, normalise_text, text_checksum


def _split_front_matter(text: str, path: str) -> tuple[str, list[str], int]:
    """Return (front matter, body lines, file line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise CatalogueFileError(path, "a course file starts with a “---” line opening its YAML header", line=1)
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]) + "\n", lines[index + 1 :], index + 2
    raise CatalogueFileError(path, "the YAML header opened on line 1 is never closed by a “---” line", line=1)


def _parse_sections(lines: list[str], first_line: int, path: str) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for offset, line in enumerate(lines):
        match = SECTION_RE.match(line)
        if match:
            name = match.group(1)
            if name not in MARKDOWN_SECTIONS:
                raise CatalogueFileError(
                    path,
                    "unknown section “## %s” (expected one of: %s)" % (name, ", ".join(MARKDOWN_SECTIONS)),
                    line=first_line + offset,
                    field=name,
                )
            if name in sections:
                raise CatalogueFileError(
                    path, "section “## %s” appears twice" % name, line=first_line + offset, field=name
                )
            sections[name] = []
            current = name
        elif current is None:
            if line.strip():
                raise CatalogueFileError(
                    path, "text after the header must sit under a “## <section>” heading", line=first_line + offset
                )
        else:
            sections[current].append(line)
    return {name: "\n".join(body).strip("\n") for name, body in sections.items()}


def parse_course_file(text: str, *, path: str | Path = "<text>") -> CourseData:
    """Parse the text of one course file.

    Returns a ``CourseData``. Raises ``CatalogueFileError`` naming the file, the line and the
    field of the first problem found (bad YAML, unknown key, wrong type, time split not totalling
    100 %, text too long…).
    """
    path = str(path)
    text = normalise_text(text)
    front, body, body_line = _split_front_matter(text, path)
    data, located = load_yaml(front, path=path, first_line=2)
    if not isinstance(data, dict):
        raise CatalogueFileError(path, "the YAML header must be a mapping of fields", line=2)
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            raise CatalogueFileError(path, "unknown field %r" % key, line=located.line((key,)), field=str(key))
    reader = Reader(path, data, located)
    for key in REQUIRED_KEYS:
        if key not in data:
            raise CatalogueFileError(path, "missing required field", line=2, field=key)
    code = reader.text("code", required=True)
    if not CODE_RE.match(code):
        reader.fail(("code",), "a course code is 1 to 20 capital letters, digits, “-” or “_”, got %r" % code)
    last_updated = data.get("last_updated")
    if last_updated is not None and not (
        isinstance(last_updated, datetime.date) and not isinstance(last_updated, datetime.datetime)
    ):
        reader.fail(("last_updated",), "expected a date written YYYY-MM-DD, got %r" % last_updated)
    has_prerequisites = data.get("has_prerequisites", True)
    if not isinstance(has_prerequisites, bool):
        reader.fail(("has_prerequisites",), "expected true or false, got %r" % has_prerequisites)
    lectures, practice, discussion = reader.time_split()
    fields = {
        "code": code,
        "title": reader.text("title", required=True),
        "subtitle": reader.text("subtitle"),
        "format": reader.text("format"),
        "level": reader.choice("level", Course.Level.values),
        "language": reader.text("language") or "fr",
        "duration_hours": reader.decimal("duration_hours", places=2, max_digits=6),
        "duration_days": reader.decimal("duration_days", places=2, max_digits=5),
        "split_lectures_pct": lectures,
        "split_practice_pct": practice,
        "split_discussion_pct": discussion,
        "has_prerequisites": has_prerequisites,
        "price_excl_vat": reader.decimal("price_excl_vat", places=2, max_digits=10),
        "price_currency": reader.text("price_currency") or "EUR",
        "price_note": reader.text("price_note"),
        "status": reader.choice("status", Course.Status.values, default=Course.Status.DRAFT),
        "general_objective": reader.choice("general_objective", Course.GeneralObjective.values),
        "qualification_level": reader.choice("qualification_level", Course.QualificationLevel.values),
        "nsf_code": reader.text("nsf_code"),
        "content_updated_on": last_updated,
    }
    domain_name = reader.text("domain", required=True)
    if len(domain_name) > Domain._meta.get_field("name").max_length:
        reader.fail(("domain",), "longer than %d characters" % Domain._meta.get_field("name").max_length)
    fields.update(_parse_sections(body, body_line, path))
    check_model_fields(fields, path=path, reader=reader, body=body, body_line=body_line)
    return CourseData(
        path=path,
        code=code,
        domain_name=domain_name,
        fields=fields,
        objectives=reader.objectives(),
        programme=reader.programme(),
        checksum=text_checksum(text),
    )


def parse_organisation_file(text: str, *, path: str | Path = ORGANISATION_FILE) -> dict:
    """Parse ``organisation.yaml`` into TrainingOrganisation field values.

    Raises ``CatalogueFileError`` on bad YAML, an unknown key, a non-text value or a value the
    model rejects (e-mail, URL, SIRET of 14 digits).
    """
    path = str(path)
    data, located = load_yaml(normalise_text(text), path=path, first_line=1)
    if not isinstance(data, dict):
        raise CatalogueFileError(path, "expected a mapping of fields", line=1)
    reader = Reader(path, data, located)
    for key in data:
        if key not in ORGANISATION_KEYS:
            reader.fail((key,), "unknown field %r (expected one of: %s)" % (key, ", ".join(ORGANISATION_KEYS)))
    values = {key: reader.text(key) for key in ORGANISATION_KEYS if key != "address"}
    address = data.get("address") or ""
    if not isinstance(address, str):
        reader.fail(("address",), "expected text")
    values["address"] = normalise_text(address).strip("\n")
    values["timezone"] = values["timezone"] or "Europe/Paris"
    if not values["name"]:
        reader.fail(("name",), "must not be empty")
    if values["siret"] and not re.fullmatch(r"\d{14}", values["siret"]):
        reader.fail(("siret",), "a SIRET is 14 digits, got %r" % values["siret"])
    try:
        TrainingOrganisation(**values).clean_fields()
    except ValidationError as exc:
        name, errors = next(iter(exc.message_dict.items()))
        reader.fail((name,), " ".join(errors))
    return values
