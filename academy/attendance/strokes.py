"""Drawn signatures as vector strokes: validation and SVG rendering.

Shape accepted (JSON, as sent by ``attendance/static/attendance/signature.js``)::

    {"width": 600, "height": 240, "strokes": [[[x, y], [x, y], …], …]}

``width`` and ``height`` are the canvas size in CSS pixels (1–2000); each stroke is a list of at
least one ``[x, y]`` point inside the canvas. Limits keep a stored signature small (a few kB) and
reject anything that is not a drawing: at most ``MAX_STROKES`` strokes, ``MAX_POINTS`` points,
``MAX_JSON_BYTES`` bytes, and at least ``MIN_POINTS`` points in all (a dot is not a signature).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

MAX_JSON_BYTES = 64_000
MAX_STROKES = 100
MAX_POINTS = 4_000
MIN_POINTS = 5
MAX_CANVAS_PX = 2_000


class InvalidStrokes(ValueError):
    """The submitted drawing is malformed, too large or empty."""


def _number(value: Any, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidStrokes(_("The signature drawing is malformed."))
    if not (0 <= value <= upper):
        raise InvalidStrokes(_("The signature drawing goes outside its frame."))
    return round(float(value), 1)


def validate_strokes(raw: str | bytes | dict) -> dict:
    """Return the cleaned drawing ``{"width", "height", "strokes"}`` from JSON text or a dict.

    Coordinates are kept to one decimal. Raises InvalidStrokes with a user-facing message when the
    data is not JSON (nested too deep included), has the wrong shape, exceeds the limits, or holds
    (almost) nothing.
    """
    if isinstance(raw, (str, bytes)):
        if len(raw) > MAX_JSON_BYTES:
            raise InvalidStrokes(_("The signature drawing is too large."))
        try:
            data = json.loads(raw)
        except (ValueError, TypeError, RecursionError) as exc:
            # RecursionError: lists nested thousands deep, which no drawing has (a point is 3 deep).
            raise InvalidStrokes(_("The signature drawing is malformed.")) from exc
    else:
        data = raw
    if not isinstance(data, dict) or not isinstance(data.get("strokes"), list):
        raise InvalidStrokes(_("The signature drawing is malformed."))
    width = data.get("width")
    height = data.get("height")
    for side in (width, height):
        if isinstance(side, bool) or not isinstance(side, (int, float)) or not (1 <= side <= MAX_CANVAS_PX):
            raise InvalidStrokes(_("The signature drawing is malformed."))
    strokes = data["strokes"]
    if len(strokes) > MAX_STROKES:
        raise InvalidStrokes(_("The signature drawing is too large."))
    cleaned = []
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise InvalidStrokes(_("The signature drawing is malformed."))
        points = []
        for point in stroke:
            if not isinstance(point, list) or len(point) != 2:
                raise InvalidStrokes(_("The signature drawing is malformed."))
            points.append([_number(point[0], width), _number(point[1], height)])
        total += len(points)
        if total > MAX_POINTS:
            raise InvalidStrokes(_("The signature drawing is too large."))
        cleaned.append(points)
    if total < MIN_POINTS:
        raise InvalidStrokes(_("Please draw your signature before submitting."))
    return {"width": round(float(width), 1), "height": round(float(height), 1), "strokes": cleaned}


def _fmt(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def strokes_to_path(data: dict) -> str:
    """Return the SVG path data ("M x y L x y …") of a validated drawing."""
    parts = []
    for stroke in data["strokes"]:
        first = stroke[0]
        parts.append("M%s %s" % (_fmt(first[0]), _fmt(first[1])))
        if len(stroke) == 1:
            parts.append("l0.1 0")
        for x, y in stroke[1:]:
            parts.append("L%s %s" % (_fmt(x), _fmt(y)))
    return " ".join(parts)


def strokes_to_svg(data: dict, *, stroke_width: float = 2.5) -> str:
    """Return a standalone SVG of a drawing, scaled to its frame (no script, numbers only).

    The drawing is re-validated first, so stored data can never inject markup.
    """
    clean = validate_strokes(data)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" preserveAspectRatio="xMidYMid meet">'
        '<path d="%s" fill="none" stroke="#0b2545" stroke-width="%s" stroke-linecap="round" stroke-linejoin="round"/>'
        "</svg>" % (_fmt(clean["width"]), _fmt(clean["height"]), strokes_to_path(clean), _fmt(stroke_width))
    )
