"""Accessible bar charts drawn on the server as SVG.

Each chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``, with every value
also written as text next to its bar, so it reads without colour, without JavaScript, in a
screen reader and in a PDF. Colours are presentation attributes (no ``style``), which a strict
Content Security Policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
LEFT = 8
VALUE_WIDTH = 70
COLOURS = ["#9db4c8", "#0b3d66", "#e4572e"]


@dataclass(frozen=True)
class Bar:
    """One bar: ``series`` name, ``value`` (None when there is no answer)."""

    series: str
    value: Decimal | None


def _truncate(text: str, limit: int = 95) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: list[tuple[str, list[Bar]]],
    max_value: int,
    no_answer: str = "—",
) -> SafeString:
    """Return a horizontal grouped bar chart: one group per label, one bar per series.

    ``groups`` is ``[(label, [Bar, …]), …]``; bar lengths are proportional to ``value / max_value``.
    """
    series_names = []
    for _label, bars in groups:
        for bar in bars:
            if bar.series not in series_names:
                series_names.append(bar.series)
    colour = {
        name: COLOURS[(i + (1 if len(series_names) == 1 else 0)) % len(COLOURS)] for i, name in enumerate(series_names)
    }
    plot_width = WIDTH - LEFT - VALUE_WIDTH
    parts: list[SafeString] = []
    y = 4
    if len(series_names) > 1:
        x = LEFT
        for name in series_names:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="12">{}</text>',
                    x,
                    y,
                    colour[name],
                    x + 16,
                    y + 11,
                    name,
                )
            )
            x += 24 + 7 * len(name)
        y += 24
    for label, bars in groups:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" font-weight="bold">{}</text>', LEFT, y + 13, _truncate(label)
            )
        )
        y += LABEL_HEIGHT + 2
        for bar in bars:
            length = 0 if bar.value is None else int(Decimal(plot_width) * Decimal(bar.value) / Decimal(max_value))
            text = no_answer if bar.value is None else "%s / %s" % (localize(bar.value), max_value)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                    '<text x="{}" y="{}" font-size="12">{} {}</text>',
                    LEFT,
                    y,
                    max(length, 1),
                    BAR_HEIGHT,
                    colour[bar.series],
                    bar.series,
                    text,
                    LEFT + max(length, 1) + 6,
                    y + 12,
                    bar.series if len(series_names) > 1 else "",
                    text,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    height = y + 4
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        body=mark_safe("".join(parts)),  # noqa: S308
    )


def describe(groups: list[tuple[str, list[Bar]]], max_value: int, no_answer: str) -> str:
    """A plain-text reading of the chart's values, for its ``<desc>``."""
    return "; ".join(
        "%s: %s"
        % (
            label,
            ", ".join(
                "%s %s" % (bar.series, no_answer if bar.value is None else "%s/%s" % (localize(bar.value), max_value))
                for bar in bars
            ),
        )
        for label, bars in groups
    )


__all__ = ["Bar", "bar_chart", "describe"]
