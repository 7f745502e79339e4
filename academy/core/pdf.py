"""PDF documents: HTML templates rendered by WeasyPrint with embedded Noto fonts.

Noto Sans covers Latin (accents, Polish, Vietnamese); Noto Sans Arabic covers Arabic script. The
font files ship in ``academy/static/academy/fonts`` so output does not depend on the host's fonts
(field case FC-05).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

#: Every document is archival: PDF/A-3b (ISO 19005-3, level B), fonts embedded. Level 3 also
#: allows the Factur-X XML attachment of invoices.
PDF_VARIANT = "pdf/a-3b"

_font_configuration = None


def font_configuration():
    """The process's WeasyPrint font configuration: shipped fonts are loaded once per process
    (web or background worker), not once per document."""
    global _font_configuration
    if _font_configuration is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_configuration = FontConfiguration()
    return _font_configuration


def render_pdf(template_name: str, context: dict, *, pdf_variant: str | None = PDF_VARIANT) -> bytes:
    """Render ``template_name`` with ``context`` to PDF/A bytes (``pdf_variant``, PDF/A-3b by default).

    ``pdf_variant`` is passed to WeasyPrint; ``None`` gives a plain PDF. Templates extend
    ``pdf/base.html``, which declares the embedded fonts (shipped Noto Sans only, no system font).
    """
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "fonts_dir": settings.FONTS_DIR.as_uri()})
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_configuration(), **options)
