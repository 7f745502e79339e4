"""Totals of a priced document (quote, invoice) by the rules of EN 16931, in Decimal, rounded half-up to the cent.

- BR-CO-10: the sum of line net amounts is the sum of each line's net amount, itself rounded to
  the cent (quantity × unit price).
- BR-CO-17: the VAT of a category and rate is that breakdown's taxable base × rate, rounded to the
  cent, never the sum of per-line VAT (three lines of 333.33 € at 20 % owe 200.00 €, not 200.01 €).
- BR-CO-15: the total including VAT is the total net plus the total VAT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from academy.core.numbers import round_half_up

CENT = Decimal("0.01")


@dataclass(frozen=True)
class VatLineInput:
    """One priced line as ``compute_totals`` reads it (documents may pass their own line objects)."""

    quantity: Decimal
    unit_price: Decimal
    vat_category: str
    vat_rate: Decimal
    exemption_reason: str = ""


@dataclass(frozen=True)
class VatBreakdown:
    """One VAT category and rate: its taxable base, its VAT and, when exempt, the reason."""

    category: str
    rate: Decimal
    base: Decimal
    vat: Decimal
    exemption_reason: str = ""


@dataclass(frozen=True)
class Totals:
    """The totals of an invoice: net (BT-106/109), VAT (BT-110), gross (BT-112), per rate (BG-23)."""

    lines_net: tuple[Decimal, ...]
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal
    breakdown: tuple[VatBreakdown, ...]


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Return ``quantity × unit_price`` rounded half-up to the cent (euros, Decimal)."""
    return round_half_up(Decimal(quantity) * Decimal(unit_price), 2)


def compute_totals(lines: Iterable) -> Totals:
    """Return the ``Totals`` of ``lines``: objects with ``quantity``, ``unit_price`` (excl. VAT),
    ``vat_category`` (``"S"`` or ``"E"``), ``vat_rate`` (percent) and ``exemption_reason``.

    Amounts are Decimal euros. Breakdowns come in the order their category and rate first appear.
    """
    nets = []
    bases: dict[tuple[str, Decimal], Decimal] = {}
    reasons: dict[tuple[str, Decimal], str] = {}
    for line in lines:
        net = line_net(line.quantity, line.unit_price)
        nets.append(net)
        rate = Decimal(line.vat_rate if line.vat_category == "S" else 0).quantize(CENT)
        key = (line.vat_category, rate)
        bases[key] = bases.get(key, Decimal("0.00")) + net
        reasons.setdefault(key, line.exemption_reason if line.vat_category == "E" else "")
    breakdown = tuple(
        VatBreakdown(
            category=category,
            rate=rate,
            base=base,
            vat=round_half_up(base * rate / 100, 2) if category == "S" else Decimal("0.00"),
            exemption_reason=reasons[(category, rate)],
        )
        for (category, rate), base in bases.items()
    )
    total_net = sum(nets, Decimal("0.00"))
    total_vat = sum((b.vat for b in breakdown), Decimal("0.00"))
    return Totals(
        lines_net=tuple(nets),
        total_net=total_net,
        total_vat=total_vat,
        total_gross=total_net + total_vat,
        breakdown=breakdown,
    )
