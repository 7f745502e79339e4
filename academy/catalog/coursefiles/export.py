"""Writing courses and the organisation back to files, in the canonical form import reads."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import yaml

from academy.core.models import TrainingOrganisation

from ..models import Course, ProgrammeItem

# --------------------------------------------------------------------------------------------
# Writing
from .schema import (
    COURSE_SUFFIX,
    MARKDOWN_SECTIONS,
    ORGANISATION_FILE,
    ORGANISATION_KEYS,
    SECTION_RE,
    CatalogueFileError,
)
from .validation import normalise_text


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text so Markdown lists stay readable in the file."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


def _number(value: Decimal | None):
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _clean(text: str) -> str:
    return normalise_text(text or "").strip("\n")


def serialise_course(course: Course) -> str:
    """Return the canonical text of ``course``'s file (objectives and programme included).

    Raises ``ValueError`` if a Markdown field holds a line that would read as a section heading.
    """
    split = (course.split_lectures_pct, course.split_practice_pct, course.split_discussion_pct)
    data = {
        "code": course.code,
        "title": course.title,
        "subtitle": course.subtitle,
        "domain": course.domain.name,
        "format": course.format,
        "level": course.level,
        "language": course.language,
        "duration_hours": _number(course.duration_hours),
        "duration_days": _number(course.duration_days),
        "time_split": None
        if split == (0, 0, 0)
        else {"lectures": split[0], "practice": split[1], "discussion": split[2]},
        "has_prerequisites": course.has_prerequisites,
        "price_excl_vat": _number(course.price_excl_vat),
        "price_currency": course.price_currency,
        "price_note": course.price_note,
        "status": course.status,
        # Written only when set, so that files which never had them stay byte-identical.
        **({"general_objective": course.general_objective} if course.general_objective else {}),
        **({"qualification_level": course.qualification_level} if course.qualification_level else {}),
        **({"nsf_code": course.nsf_code} if course.nsf_code else {}),
        "last_updated": course.content_updated_on,
        "objectives": [_clean(o.text) for o in course.objectives.all()],
        "programme": [
            {
                "title": section.title,
                "items": [
                    _clean(item.text) if item.kind == ProgrammeItem.Kind.TOPIC else {"exercise": _clean(item.text)}
                    for item in section.items.all()
                ],
            }
            for section in course.sections.all()
        ],
    }
    out = "---\n" + _dump(data) + "---\n"
    for name in MARKDOWN_SECTIONS:
        value = _clean(getattr(course, name))
        if not value.strip():
            continue
        for line in value.split("\n"):
            if SECTION_RE.match(line):
                raise ValueError(
                    "%s: the %s text holds a line read as a section heading: %r" % (course.code, name, line)
                )
        out += "\n## %s\n\n%s\n" % (name, value)
    return out


def serialise_organisation(organisation: TrainingOrganisation) -> str:
    """Return the canonical text of ``organisation.yaml``."""
    return _dump(
        {
            key: _clean(getattr(organisation, key)) if key == "address" else getattr(organisation, key)
            for key in ORGANISATION_KEYS
        }
    )


def export_catalogue(*, directory: str | Path, codes: Sequence[str] = ()) -> list[Path]:
    """Write one canonical file per course (all, or those in ``codes``) and ``organisation.yaml``.

    Files are named ``<CODE>.md``; returns the paths written. Raises ``CatalogueFileError`` for an
    unknown code.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    courses = Course.objects.select_related("domain").prefetch_related("objectives", "sections__items").order_by("code")
    if codes:
        courses = courses.filter(code__in=codes)
        unknown = sorted(set(codes) - set(courses.values_list("code", flat=True)))
        if unknown:
            raise CatalogueFileError(directory, "unknown course code(s): %s" % ", ".join(unknown), field="code")
    written = []
    for course in courses:
        path = directory / ("%s%s" % (course.code, COURSE_SUFFIX))
        path.write_text(serialise_course(course), encoding="utf-8")
        written.append(path)
    organisation = TrainingOrganisation.objects.order_by("pk").first()
    if organisation is not None and not codes:
        path = directory / ORGANISATION_FILE
        path.write_text(serialise_organisation(organisation), encoding="utf-8")
        written.append(path)
    return written
