"""What a course file and ``organisation.yaml`` hold: their keys and sections, the error raised, the data read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

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
    "general_objective",
    "qualification_level",
    "nsf_code",
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
