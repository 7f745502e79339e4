"""Template helpers of the commerce pages."""

from django import template

from academy.core.text import render_markdown

register = template.Library()


@register.filter
def terms_markdown(text: str):
    """Render a terms document's Markdown with the project's sanitiser (``render_markdown``)."""
    return render_markdown(text)
