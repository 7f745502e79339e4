"""Checks for uploaded files: type by content (magic bytes, not the name or the browser's word) and size.

Use it in a form's ``clean_<field>``::

    from academy.privacy.uploads import check_upload, PDF, PNG, JPEG

    def clean_signature(self):
        return check_upload(self.cleaned_data["signature"], allowed=(PNG,), max_bytes=512 * 1024)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    label: str
    mimetype: str
    magic: tuple[bytes, ...]
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", (b"%PDF-",), (".pdf",))
PNG = FileType("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",), (".png",))
JPEG = FileType("JPEG", "image/jpeg", (b"\xff\xd8\xff",), (".jpg", ".jpeg"))
XLSX = FileType(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",), (".xlsx",)
)


def check_upload(uploaded, *, allowed: tuple[FileType, ...], max_bytes: int):
    """Return ``uploaded`` if its size is at most ``max_bytes`` and its content and extension match one of ``allowed``.

    Raises ValidationError with a message in the user's language otherwise.
    """
    if uploaded is None:
        return uploaded
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the maximum is %(max)s.")
            % {"size": filesizeformat(uploaded.size), "max": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    name = (getattr(uploaded, "name", "") or "").lower()
    for file_type in allowed:
        if any(head.startswith(m) for m in file_type.magic) and name.endswith(file_type.extensions):
            return uploaded
    raise ValidationError(
        _("This file type is not accepted; accepted: %(types)s.") % {"types": ", ".join(t.label for t in allowed)},
        code="file_type",
    )
