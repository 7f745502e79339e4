"""Markdown rendering and text helpers.

Markdown is rendered by markdown-it-py with raw HTML disabled, then sanitised by nh3 (an
allow-list HTML sanitiser). Sanitising runs *after* rendering so that no construct the renderer
produces — links, images, entities — can carry script (field case FC-11).
"""

from __future__ import annotations

import unicodedata

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown ``text`` to sanitised HTML safe to insert in a page.

    Only ``http``, ``https``, ``mailto`` and ``tel`` links survive; any ``on*`` attribute,
    ``<script>``, ``<img>`` or ``javascript:`` URL is removed. Links get ``rel="noopener noreferrer"``.
    """
    if not text:
        return mark_safe("")
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 — output of an allow-list sanitiser


def normalise_email(address: str) -> str:
    """Return ``address`` stripped, NFC-normalised and lower-cased, for identity comparisons (FC-02)."""
    return unicodedata.normalize("NFC", (address or "").strip()).lower()


def single_line(text: str) -> str:
    """Collapse every run of white space (line breaks included) into one space.

    Used for e-mail subjects and headers so user-typed text can never inject a header.
    """
    return " ".join((text or "").split())


def markdown_to_text(text: str | None) -> str:
    """Return the plain text a reader sees once Markdown ``text`` is rendered, on one line.

    Used for machine-readable copies of a page's text (schema.org JSON-LD, meta description) so
    they match what the page shows.
    """
    import html
    import re

    rendered = re.sub(r"<[^>]+>", " ", str(render_markdown(text)))
    return " ".join(html.unescape(rendered).split())


_FOLDED_LETTERS = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"})


def search_key(text: str | None) -> str:
    """Fold ``text`` for accent- and case-insensitive search: "Wikipédia Œuvre" → "wikipedia oeuvre".

    Letters lose their accents (Unicode NFKD, combining marks dropped), ligatures are spelt out,
    case is folded and runs of white space become one space. The same folding applies to stored
    text and to the words searched, on every database.
    """
    import unicodedata

    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDED_LETTERS))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())
