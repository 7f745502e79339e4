"""Scrubbing a person from the development mail folder (Django's file e-mail backend, ``make run``).

The file backend appends each message to a file of ``EMAIL_FILE_PATH``, MIME-encoded (names in
headers per RFC 2047, bodies possibly in base64 or quoted-printable), each followed by a line of
79 dashes. A message whose decoded headers or text name the person is rewritten as a plain-text
message with its identifiers replaced by ``[erased]`` and without attachments (documents may
name the person); other messages are left byte for byte.
"""

from __future__ import annotations

import email
import email.policy
from email.header import Header
from email.mime.text import MIMEText
from pathlib import Path

from .scrub import scrub_text

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
_KEPT_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")


def _decoded(message) -> tuple[dict[str, str], str, str]:
    headers = {name: str(message[name]) for name in _KEPT_HEADERS if message[name] is not None}
    plain, html = "", ""
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text" or part.get_filename():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):
            content = part.get_payload(decode=True).decode("utf-8", "replace")
        if part.get_content_subtype() == "plain" and not plain:
            plain = content
        elif part.get_content_subtype() == "html" and not html:
            html = content
    return headers, plain, html


def _mentions(chunk: bytes, message, lowered: list[str]) -> bool:
    headers, plain, html = _decoded(message)
    names = " ".join(str(part.get_filename() or "") for part in message.walk())
    haystack = "\n".join([*headers.values(), plain, html, names, chunk.decode("utf-8", "replace")]).lower()
    return any(text in haystack for text in lowered)


def _rewritten(message, texts: list[str]) -> bytes:
    headers, plain, html = _decoded(message)
    out = MIMEText(scrub_text(plain or html, texts), "plain", "utf-8")
    for name, value in headers.items():
        out[name] = Header(scrub_text(value, texts), "utf-8") if not value.isascii() else scrub_text(value, texts)
    return out.as_bytes()


def scrub_mail_folder(folder, texts: list[str]) -> int:
    """Rewrite the messages of ``folder`` that mention any of ``texts``; return how many were rewritten.

    ``texts`` are matched case-insensitively in decoded headers and text parts. A missing or empty
    folder is fine (returns 0). Files are rewritten in place.
    """
    root = Path(folder) if folder else None
    if root is None or not root.is_dir() or not texts:
        return 0
    lowered = [t.lower() for t in texts if t]
    changed = 0
    for path in sorted(p for p in root.iterdir() if p.is_file()):
        data = path.read_bytes()
        chunks = data.split(SEPARATOR)
        new_chunks, file_changed = [], False
        for chunk in chunks:
            if not chunk.strip():
                new_chunks.append(chunk)
                continue
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            if _mentions(chunk, message, lowered):
                chunk = _rewritten(message, texts).rstrip(b"\n")
                file_changed = True
                changed += 1
            new_chunks.append(chunk)
        if file_changed:
            path.write_bytes(SEPARATOR.join(new_chunks))
    return changed
