"""Honest rounding: half-up with Decimal, never float ``round()`` (field case FC-09)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal | int | str, places: int = 0) -> Decimal:
    """Round ``value`` half-up to ``places`` decimal places; returns a Decimal.

    ``round_half_up(Decimal("4.55"), 1) == Decimal("4.6")`` whereas float ``round(4.55, 1)`` gives 4.5.
    """
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percentage(part: int, whole: int, places: int = 0) -> Decimal | None:
    """Return ``part / whole`` as a percentage rounded half-up, or None when ``whole`` is 0.

    The result never reaches 100 unless ``part == whole``: 199 of 200 gives 99, not 100 (FC-09).
    """
    if whole <= 0:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    rounded = round_half_up(exact, places)
    if part != whole and rounded >= 100:
        quantum = Decimal(1).scaleb(-places)
        rounded = exact.quantize(quantum, rounding=ROUND_DOWN)
    return rounded
