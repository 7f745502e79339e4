"""Course files: one human-editable file per course, read and written by the catalogue commands.

A course file is Markdown with a YAML front matter (see ``docs/catalogue-files.md``)::

    ---
    code: COMNUM
    title: Les communs numériques
    …structured fields, objectives, programme…
    ---

    ## description

    Long Markdown text…

The training organisation's identity lives beside the courses in ``organisation.yaml``.

``parse_course_file`` and ``parse_organisation_file`` turn text into plain data, raising
``CatalogueFileError`` (file, line, field, reason) on the first problem. ``serialise_course`` and
``serialise_organisation`` write the canonical form, so export → import → export is byte-identical.
``import_catalogue`` and ``export_catalogue`` are the services behind the management commands.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from academy.core.models import TrainingOrganisation

from .models import Course, Domain, LearningObjective, ProgrammeItem, ProgrammeSection
from .services import missing_public_items

ORGANISATION_FILE = "organisation.yaml"
COURSE_SUFFIX = ".md"

#: Front-matter keys, in the order the exporter writes them.
FRONT_MATTER_KEYS = (
    "code",
    "title",
    "subtitle",
    "domain",
    "format",
    "level",
    "language",
    "duration_hours",
    "duration_days",
    "time_split",
    "has_prerequisites",
    "price_excl_vat",
    "price_currency",
    "price_note",
    "status",
    "last_updated",
    "objectives",
    "programme",
)
REQUIRED_KEYS = ("code", "title", "domain")

#: ``## <name>`` sections of the Markdown body, in the order the exporter writes them.
MARKDOWN_SECTIONS = (
    "description",
    "audience",
    "audience_also",
    "prerequisites",
    "teaching_methods",
    "accessibility",
    "trainer_profile",
    "evaluation_methods",
    "access_delay",
)

ORGANISATION_KEYS = (
    "name",
    "legal_name",
    "siret",
    "declaration_number",
    "address",
    "email",
    "phone",
    "website",
    "legal_representative",
    "legal_representative_title",
    "accessibility_referent_name",
    "accessibility_referent_email",
    "accessibility_referent_phone",
    "accessibility_policy_url",
    "dpo_email",
    "host_name",
    "timezone",
)

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")
SECTION_RE = re.compile(r"^## +(\S.*?)\s*$")


class CatalogueFileError(Exception):
    """A course or organisation file cannot be read: names the file, the line and/or field, and why."""

    def __init__(self, path: str | Path, reason: str, *, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.field = field
        where = self.path
        if line is not None:
            where += ", line %d" % line
        if field:
            where += " (%s)" % field
        super().__init__("%s: %s" % (where, reason))


@dataclass
class CourseData:
    """A parsed course file: model field values, the domain name, objectives and programme.

    ``programme`` is ``[(section title, [(item kind, text), …]), …]``; ``checksum`` is the SHA-256
    of the file's text, used to leave unchanged files (and staff edits made since) alone.
    """

    path: str
    code: str
    domain_name: str
    fields: dict
    objectives: list[str]
    programme: list[tuple[str, list[tuple[str, str]]]]
    checksum: str


@dataclass
class ImportReport:
    """What ``import_catalogue`` did: one row per course and whether the organisation was loaded."""

    courses: list[dict] = field(default_factory=list)
    organisation: str | None = None


# --------------------------------------------------------------------------------------------
# Reading


class _Located:
    """Maps a key path of the front matter (``("programme", 2, "items")``) to its file line."""

    def __init__(self, node: yaml.Node | None, first_line: int):
        self.lines: dict[tuple, int] = {}
        self.first_line = first_line
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.lines.setdefault(path, node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self.lines[path + (key.value,)] = key.start_mark.line
                self._walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                self.lines[path + (index,)] = value.start_mark.line
                self._walk(value, path + (index,))

    def line(self, path: tuple) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        if path not in self.lines:
            return None
        return self.lines[path] + self.first_line


def _field_name(path: tuple) -> str:
    name = ""
    for part in path:
        name += "[%d]" % part if isinstance(part, int) else ("." if name else "") + str(part)
    return name


def _load_yaml(text: str, *, path: str, first_line: int) -> tuple[object, _Located]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + first_line if mark is not None else None
        raise CatalogueFileError(path, "invalid YAML: %s" % problem, line=line) from exc
    return data, _Located(node, first_line)


def _normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Reader:
    """Validate one front-matter mapping, raising ``CatalogueFileError`` with the field's line."""

    def __init__(self, path: str, data: dict, located: _Located):
        self.path, self.data, self.located = path, data, located

    def fail(self, key_path: tuple, reason: str):
        raise CatalogueFileError(self.path, reason, line=self.located.line(key_path), field=_field_name(key_path))

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail((key,), "expected text, got %s" % type(value).__name__)
        value = str(value).strip()
        if required and not value:
            self.fail((key,), "must not be empty")
        return value

    def decimal(self, key: str, *, places: int, max_digits: int) -> Decimal | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.fail((key,), "expected a number, got %r" % value)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail((key,), "expected a number, got %r" % value)
        if not number.is_finite() or number < 0:
            self.fail((key,), "expected a positive number, got %r" % value)
        quantum = Decimal(1).scaleb(-places)
        if number != number.quantize(quantum):
            self.fail((key,), "at most %d decimal places, got %r" % (places, value))
        # The column's size, which PostgreSQL enforces and SQLite does not: same file, same answer.
        if number >= Decimal(10) ** (max_digits - places):
            self.fail((key,), "at most %d digits before the decimal point, got %r" % (max_digits - places, value))
        return number.quantize(quantum)

    def choice(self, key: str, choices: Iterable[str], *, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            return default
        allowed = list(choices)
        if value not in allowed:
            self.fail((key,), "%r is not one of: %s" % (value, ", ".join(allowed)))
        return value

    def time_split(self) -> tuple[int, int, int]:
        value = self.data.get("time_split")
        if value is None:
            return (0, 0, 0)
        if not isinstance(value, dict):
            self.fail(("time_split",), "expected lectures, practice and discussion percentages")
        unknown = set(value) - {"lectures", "practice", "discussion"}
        if unknown:
            key = sorted(map(str, unknown))[0]
            self.fail(("time_split", key), "unknown key %r (expected lectures, practice, discussion)" % key)
        parts = []
        for key in ("lectures", "practice", "discussion"):
            part = value.get(key, 0)
            if isinstance(part, bool) or not isinstance(part, int) or not 0 <= part <= 100:
                self.fail(("time_split", key), "expected a whole percentage between 0 and 100, got %r" % part)
            parts.append(part)
        if sum(parts) != 100:
            self.fail(("time_split",), "the time split must total 100 %%, it totals %d %%" % sum(parts))
        return tuple(parts)  # type: ignore[return-value]

    def objectives(self) -> list[str]:
        value = self.data.get("objectives") or []
        if not isinstance(value, list):
            self.fail(("objectives",), "expected a list of objectives")
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(("objectives", index), "expected a non-empty text")
            result.append(_normalise_text(item).strip())
        return result

    def programme(self) -> list[tuple[str, list[tuple[str, str]]]]:
        value = self.data.get("programme") or []
        if not isinstance(value, list):
            self.fail(("programme",), "expected a list of sections")
        sections = []
        for index, section in enumerate(value):
            where = ("programme", index)
            if not isinstance(section, dict):
                self.fail(where, "expected a section with a title and items")
            unknown = set(section) - {"title", "items"}
            if unknown:
                key = sorted(map(str, unknown))[0]
                self.fail(where + (key,), "unknown key %r (expected title, items)" % key)
            title = section.get("title")
            if not isinstance(title, str) or not title.strip():
                self.fail(where + ("title",), "a programme section needs a title")
            if len(title.strip()) > ProgrammeSection._meta.get_field("title").max_length:
                self.fail(
                    where + ("title",),
                    "longer than %d characters" % ProgrammeSection._meta.get_field("title").max_length,
                )
            items = section.get("items") or []
            if not isinstance(items, list):
                self.fail(where + ("items",), "expected a list of items")
            parsed = []
            for item_index, item in enumerate(items):
                item_where = where + ("items", item_index)
                if isinstance(item, str) and item.strip():
                    parsed.append((ProgrammeItem.Kind.TOPIC.value, _normalise_text(item).strip()))
                elif (
                    isinstance(item, dict)
                    and list(item) == ["exercise"]
                    and isinstance(item["exercise"], str)
                    and item["exercise"].strip()
                ):
                    parsed.append((ProgrammeItem.Kind.EXERCISE.value, _normalise_text(item["exercise"]).strip()))
                else:
                    self.fail(item_where, "expected a text, or “exercise: text” for a practical exercise")
            sections.append((title.strip(), parsed))
        return sections


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
    text = _normalise_text(text)
    front, body, body_line = _split_front_matter(text, path)
    data, located = _load_yaml(front, path=path, first_line=2)
    if not isinstance(data, dict):
        raise CatalogueFileError(path, "the YAML header must be a mapping of fields", line=2)
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            raise CatalogueFileError(path, "unknown field %r" % key, line=located.line((key,)), field=str(key))
    reader = _Reader(path, data, located)
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
        "content_updated_on": last_updated,
    }
    domain_name = reader.text("domain", required=True)
    if len(domain_name) > Domain._meta.get_field("name").max_length:
        reader.fail(("domain",), "longer than %d characters" % Domain._meta.get_field("name").max_length)
    fields.update(_parse_sections(body, body_line, path))
    _check_model_fields(fields, path=path, reader=reader, body=body, body_line=body_line)
    return CourseData(
        path=path,
        code=code,
        domain_name=domain_name,
        fields=fields,
        objectives=reader.objectives(),
        programme=reader.programme(),
        checksum=_checksum(text),
    )


_FIELD_TO_KEY = {
    "split_lectures_pct": "time_split",
    "split_practice_pct": "time_split",
    "split_discussion_pct": "time_split",
    "content_updated_on": "last_updated",
}


def _check_model_fields(fields: dict, *, path: str, reader: _Reader, body: list[str], body_line: int) -> None:
    """Run the model's own field validation (lengths, digits) and report the first error's line."""
    course = Course(**fields)
    try:
        course.clean_fields(exclude=["domain"])
    except ValidationError as exc:
        name, errors = next(iter(exc.message_dict.items()))
        reason = " ".join(errors)
        if name in MARKDOWN_SECTIONS:
            line = next(
                (body_line + i for i, text in enumerate(body) if SECTION_RE.match(text) and text.split()[1] == name),
                None,
            )
            raise CatalogueFileError(path, reason, line=line, field=name) from exc
        reader.fail((_FIELD_TO_KEY.get(name, name),), reason)


def parse_organisation_file(text: str, *, path: str | Path = ORGANISATION_FILE) -> dict:
    """Parse ``organisation.yaml`` into TrainingOrganisation field values.

    Raises ``CatalogueFileError`` on bad YAML, an unknown key, a non-text value or a value the
    model rejects (e-mail, URL, SIRET of 14 digits).
    """
    path = str(path)
    data, located = _load_yaml(_normalise_text(text), path=path, first_line=1)
    if not isinstance(data, dict):
        raise CatalogueFileError(path, "expected a mapping of fields", line=1)
    reader = _Reader(path, data, located)
    for key in data:
        if key not in ORGANISATION_KEYS:
            reader.fail((key,), "unknown field %r (expected one of: %s)" % (key, ", ".join(ORGANISATION_KEYS)))
    values = {key: reader.text(key) for key in ORGANISATION_KEYS if key != "address"}
    address = data.get("address") or ""
    if not isinstance(address, str):
        reader.fail(("address",), "expected text")
    values["address"] = _normalise_text(address).strip("\n")
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


# --------------------------------------------------------------------------------------------
# Writing


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
    return _normalise_text(text or "").strip("\n")


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


# --------------------------------------------------------------------------------------------
# Import and export


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
        organisation_values["source_checksum"] = _checksum(_normalise_text(organisation_text))
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
