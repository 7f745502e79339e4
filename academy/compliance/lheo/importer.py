"""Read courses from an LHEO 2.3 file (a CARIF-OREF export, or one written by Academy).

The same rules as course files (``academy.catalog.coursefiles``): the whole file is checked
before anything is written, then every course is written in one transaction, matched by code;
an error names the file, the line and the element (or field) and says why. A file that does not
validate against the shipped XSD is refused with the schema's own message.
"""

from __future__ import annotations

import re

from django.db import transaction
from lxml import etree

from academy.catalog.coursefiles import (
    CODE_RE,
    CatalogueFileError,
    CourseData,
    ImportReport,
    parse_course_file,
    save_course,
)
from academy.catalog.coursefiles.validation import check_model_fields, normalise_text, text_checksum
from academy.catalog.models import Course

from .export import COURSE_FILE_INFO, EXTRAS_INFO
from .schema import NAMESPACE, lheo_schema, local_name

#: The largest file read: far beyond a real catalogue, small enough to refuse a hostile upload.
MAX_BYTES = 10 * 1024 * 1024
#: Domain given to courses read from another organisation's LHEO file (staff rename it).
IMPORTED_DOMAIN = "Formations importées"

LheoImportError = CatalogueFileError


def _parse(content: bytes, path: str):
    if len(content) > MAX_BYTES:
        raise LheoImportError(path, "the file is larger than %d MB" % (MAX_BYTES // 1024 // 1024))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise LheoImportError(path, "not well-formed XML: %s" % exc.msg, line=exc.lineno) from exc
    if root is None:
        raise LheoImportError(path, "empty document")
    return root


def validate(content: bytes, *, path: str = "<lheo>"):
    """Parse and validate ``content`` against LHEO 2.3; return the root element.

    Raises ``CatalogueFileError`` with the XSD's message, the line and the element of the first error.
    """
    root = _parse(content, path)
    error = next(iter(lheo_schema().iter_errors(root)), None)
    if error is not None:
        element = error.elem if error.elem is not None else None
        line = getattr(element, "sourceline", None)
        name = local_name(element.tag) if element is not None and isinstance(element.tag, str) else None
        raise LheoImportError(
            path, "does not validate against LHEO 2.3: %s" % error.reason, line=line, field=error.path or name
        )
    return root


def _q(name: str) -> str:
    return "{%s}%s" % (NAMESPACE, name)


def _text(parent, name: str) -> str:
    node = parent.find(_q(name))
    return (node.text or "").strip() if node is not None else ""


def _embedded_course_file(formation):
    for extras in formation.findall(_q("extras")):
        if extras.get("info") != EXTRAS_INFO:
            continue
        for extra in extras.findall(_q("extra")):
            if extra.get("info") == COURSE_FILE_INFO:
                return extra
    return None


def _from_course_file(extra, path: str, index: int) -> CourseData:
    where = "%s, formation %d" % (path, index)
    try:
        return parse_course_file(extra.text or "", path=where)
    except CatalogueFileError as exc:
        line = extra.sourceline + exc.line - 1 if exc.line is not None else extra.sourceline
        raise LheoImportError(path, exc.reason, line=line, field=exc.field or "extra") from exc


def _from_lheo(formation, path: str, index: int) -> CourseData:
    """A course from the standard LHEO elements of another organisation's file."""
    code = (formation.get("numero") or "").strip().upper()
    if not CODE_RE.match(code):
        raise LheoImportError(
            path,
            "the formation's numero attribute must be a course code (1 to 20 capital letters, digits, “-” or “_”), "
            "got %r" % code,
            line=formation.sourceline,
            field="formation/@numero",
        )
    objectives = [
        re.sub(r"^[-*•]\s*", "", line).strip()
        for line in _text(formation, "objectif-formation").splitlines()
        if line.strip()
    ]
    nsf = formation.find("%s/%s" % (_q("domaine-formation"), _q("code-NSF")))
    fields = {
        "code": code,
        "title": _text(formation, "intitule-formation"),
        "description": _text(formation, "contenu-formation"),
        "evaluation_methods": _text(formation, "resultats-attendus"),
        "nsf_code": (nsf.text or "").strip() if nsf is not None else "",
        "status": Course.Status.DRAFT,
    }

    class _Reader:
        def fail(self, key_path, reason):
            raise LheoImportError(path, reason, line=formation.sourceline, field=".".join(map(str, key_path)))

    check_model_fields(fields, path=path, reader=_Reader(), body=[], body_line=formation.sourceline)
    text = etree.tostring(formation, encoding="unicode")
    return CourseData(
        path="%s, formation %d" % (path, index),
        code=code,
        domain_name=IMPORTED_DOMAIN,
        fields=fields,
        objectives=objectives,
        programme=[],
        checksum=text_checksum(normalise_text(text)),
    )


def import_lheo(content: bytes, *, path: str = "<lheo>") -> ImportReport:
    """Import every ``formation`` of the LHEO document ``content`` as a course; all or nothing.

    A formation written by Academy carries its course file and is read from it (byte-identical
    round trip); another one is read from its LHEO elements and kept as a draft. Raises
    ``CatalogueFileError`` (nothing written) naming the file, line and element of the first problem.
    """
    root = validate(content, path=path)
    parsed: list[CourseData] = []
    seen: dict[str, int] = {}
    for index, formation in enumerate(root.iter(_q("formation")), start=1):
        extra = _embedded_course_file(formation)
        data = _from_course_file(extra, path, index) if extra is not None else _from_lheo(formation, path, index)
        if data.code in seen:
            raise LheoImportError(
                path,
                "course code %s is already used by formation %d" % (data.code, seen[data.code]),
                line=formation.sourceline,
                field="formation",
            )
        seen[data.code] = index
        parsed.append(data)
    report = ImportReport()
    with transaction.atomic():
        for data in parsed:
            report.courses.append(save_course(data, force=True))
    return report
