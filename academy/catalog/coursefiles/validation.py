"""Reading YAML values with their line numbers, and checking each against what its field accepts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError

from ..models import Course, ProgrammeItem, ProgrammeSection

# --------------------------------------------------------------------------------------------
# Reading
from .schema import MARKDOWN_SECTIONS, SECTION_RE, CatalogueFileError


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


def load_yaml(text: str, *, path: str, first_line: int) -> tuple[object, _Located]:
    """Parse YAML ``text`` (starting at line ``first_line`` of ``path``): the data and its line locator.

    Raises CatalogueFileError with the line of the YAML syntax error.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + first_line if mark is not None else None
        raise CatalogueFileError(path, "invalid YAML: %s" % problem, line=line) from exc
    return data, _Located(node, first_line)


def normalise_text(text: str) -> str:
    """``text`` with every line break written ``\\n`` (files edited on Windows or old Macs read the same)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_checksum(text: str) -> str:
    """SHA-256 of ``text`` (UTF-8), hexadecimal: tells an unchanged file from the last import."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Reader:
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
            result.append(normalise_text(item).strip())
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
                    parsed.append((ProgrammeItem.Kind.TOPIC.value, normalise_text(item).strip()))
                elif (
                    isinstance(item, dict)
                    and list(item) == ["exercise"]
                    and isinstance(item["exercise"], str)
                    and item["exercise"].strip()
                ):
                    parsed.append((ProgrammeItem.Kind.EXERCISE.value, normalise_text(item["exercise"]).strip()))
                else:
                    self.fail(item_where, "expected a text, or “exercise: text” for a practical exercise")
            sections.append((title.strip(), parsed))
        return sections


_FIELD_TO_KEY = {
    "split_lectures_pct": "time_split",
    "split_practice_pct": "time_split",
    "split_discussion_pct": "time_split",
    "content_updated_on": "last_updated",
}


def check_model_fields(fields: dict, *, path: str, reader: Reader, body: list[str], body_line: int) -> None:
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
