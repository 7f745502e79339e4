"""Terms of sale and internal rules: versions, publication, the version in force, acceptance.

Public API used by agreements, invoicing and the client space:

- ``current(kind, on=None)``: the published version in force on a date;
- ``publish(document, by=None)``: freeze a draft and make it public;
- ``new_version(document)``: a draft copy with the next version number, to amend published text;
- ``accepted_terms(booking)``: the ``TermsAcceptance`` of a booking, or ``None``;
- ``import_terms_files(folder)``: load bundled Markdown files (``make run`` data).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event

from .models import TermsAcceptance, TermsDocument

#: File name → kind of the bundled documents (in the catalogue folder's ``terms`` sub-folder).
TERMS_FILES = {
    "terms-of-sale.md": TermsDocument.Kind.TERMS_OF_SALE,
    "internal-rules.md": TermsDocument.Kind.INTERNAL_RULES,
}


def local_date(moment: datetime.datetime | None = None) -> datetime.date:
    """The Europe/Paris date of ``moment`` (default: now): terms take effect on French calendar days."""
    return timezone.localdate(moment or timezone.now())


def current(kind: str, on: datetime.date | None = None) -> TermsDocument | None:
    """The version of ``kind`` in force on ``on`` (default: today in Europe/Paris), or ``None``.

    In force = published, effective on or before that day; the highest such version wins.
    """
    on = on or local_date()
    return (
        TermsDocument.objects.filter(kind=kind, published_at__isnull=False, effective_date__lte=on)
        .order_by("-version")
        .first()
    )


def next_version(kind: str) -> int:
    """The next free version number of ``kind`` (1 for the first)."""
    return (TermsDocument.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1


def publish(document: TermsDocument, *, by=None) -> TermsDocument:
    """Publish the draft ``document``: from now on it is public and immutable.

    Writes the audit event ``terms.published``. Raises ``ValidationError`` if it is already
    published or its text is empty.
    """
    with transaction.atomic():
        document = TermsDocument.objects.select_for_update().get(pk=document.pk)
        if document.is_published:
            raise ValidationError(_("Version %(version)d is already published.") % {"version": document.version})
        if not document.body.strip():
            raise ValidationError(_("The text is empty: write it before publishing."))
        document.published_at = timezone.now()
        TermsDocument.objects.filter(pk=document.pk).update(published_at=document.published_at)
        record_event(
            "terms.published",
            obj=document,
            data={
                "kind": document.kind,
                "version": document.version,
                "effective_date": document.effective_date.isoformat(),
            },
            actor=by,
        )
    return document


def new_version(document: TermsDocument) -> TermsDocument:
    """Create and return a draft copy of ``document`` with the next version number, effective today."""
    return TermsDocument.objects.create(
        kind=document.kind,
        version=next_version(document.kind),
        title=document.title,
        body=document.body,
        effective_date=local_date(),
    )


def record_acceptance(booking) -> TermsAcceptance:
    """Record which terms of sale and internal rules were in force when ``booking`` was made.

    Called in the booking's transaction. The versions are those in force on the Paris date of
    ``booking.terms_accepted_at``; either may be ``None`` when none was published yet.
    """
    on = local_date(booking.terms_accepted_at)
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        booking=booking,
        defaults={
            "terms_of_sale": current(TermsDocument.Kind.TERMS_OF_SALE, on),
            "internal_rules": current(TermsDocument.Kind.INTERNAL_RULES, on),
            "accepted_at": booking.terms_accepted_at,
        },
    )
    return acceptance


def accepted_terms(booking) -> TermsAcceptance | None:
    """The ``TermsAcceptance`` of ``booking`` (versions accepted), or ``None`` for older bookings."""
    return TermsAcceptance.objects.select_related("terms_of_sale", "internal_rules").filter(booking=booking).first()


class TermsFileError(ValueError):
    """A bundled terms file cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class ImportedTerms:
    """One file read by ``import_terms_files``: its document and ``action`` ("created"/"unchanged")."""

    document: TermsDocument
    action: str


def _read_terms_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TermsFileError("%s: not UTF-8 text (byte %d)" % (path.name, exc.start)) from exc
    if not text.startswith("---\n"):
        raise TermsFileError("%s: missing the front matter (--- version, title, effective_date ---)" % path.name)
    head, _sep, body = text[4:].partition("\n---\n")
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = " (line %d)" % (mark.line + 2) if mark is not None else ""
        raise TermsFileError("%s: the front matter is not valid YAML%s" % (path.name, where)) from exc
    if not isinstance(meta, dict):
        raise TermsFileError("%s: the front matter must be a mapping" % path.name)
    version, title, effective = meta.get("version"), meta.get("title"), meta.get("effective_date")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TermsFileError("%s: version must be a whole number from 1" % path.name)
    if not isinstance(title, str) or not title.strip():
        raise TermsFileError("%s: title is missing" % path.name)
    if not isinstance(effective, datetime.date):
        raise TermsFileError("%s: effective_date must be a date (YYYY-MM-DD)" % path.name)
    if not body.strip():
        raise TermsFileError("%s: the text is empty" % path.name)
    return {"version": version, "title": title.strip(), "effective_date": effective, "body": body.strip() + "\n"}


def import_terms_files(folder: Path) -> list[ImportedTerms]:
    """Publish the terms files of ``folder`` (``terms-of-sale.md``, ``internal-rules.md``).

    Each file has a YAML front matter (``version``, ``title``, ``effective_date``) then Markdown.
    A version already published with the same text is left alone; with another text it is an
    error (published versions never change: raise the version number). All or nothing.
    Raises ``TermsFileError``.
    """
    results = []
    with transaction.atomic():
        for name, kind in TERMS_FILES.items():
            path = Path(folder) / name
            if not path.is_file():
                continue
            data = _read_terms_file(path)
            existing = TermsDocument.objects.filter(kind=kind, version=data["version"]).first()
            if existing is not None:
                same = all(getattr(existing, key) == value for key, value in data.items())
                if not same:
                    raise TermsFileError(
                        "%s: version %d exists with another text; published versions never change, "
                        "give the new text the next version number" % (name, data["version"])
                    )
                if not existing.is_published:
                    existing = publish(existing)
                results.append(ImportedTerms(existing, "unchanged"))
                continue
            document = TermsDocument.objects.create(kind=kind, **data)
            results.append(ImportedTerms(publish(document), "created"))
    return results
