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

Modules: ``schema`` (keys, sections, the error and the data read), ``validation`` (reading values
with their line numbers), ``parsing``, ``importer``, ``export``. The public names are re-exported here.
"""

from __future__ import annotations

from .export import export_catalogue, serialise_course, serialise_organisation
from .importer import import_catalogue, save_course
from .parsing import parse_course_file, parse_organisation_file
from .schema import (
    CODE_RE,
    COURSE_SUFFIX,
    FRONT_MATTER_KEYS,
    MARKDOWN_SECTIONS,
    ORGANISATION_FILE,
    ORGANISATION_KEYS,
    REQUIRED_KEYS,
    SECTION_RE,
    CatalogueFileError,
    CourseData,
    ImportReport,
)

__all__ = [
    "CODE_RE",
    "COURSE_SUFFIX",
    "FRONT_MATTER_KEYS",
    "MARKDOWN_SECTIONS",
    "ORGANISATION_FILE",
    "ORGANISATION_KEYS",
    "REQUIRED_KEYS",
    "SECTION_RE",
    "CatalogueFileError",
    "CourseData",
    "ImportReport",
    "export_catalogue",
    "import_catalogue",
    "parse_course_file",
    "parse_organisation_file",
    "save_course",
    "serialise_course",
    "serialise_organisation",
]
