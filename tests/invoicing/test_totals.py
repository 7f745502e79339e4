"""FC-13: totals by EN 16931 rules — line nets to the cent, VAT on each rate's base, Decimal throughout."""

from decimal import Decimal

import pytest

from academy.core.vat import compute_totals, line_net
from academy.invoicing.models import TRAINING_EXEMPTION_REASON
from academy.invoicing.services import LineData, issue_invoice

from .helpers import draft, exempt_line, organisation, vat_line


def test_fc13_three_trainees_at_333_33_at_20_percent_owe_200_00_of_vat_not_200_01():
    totals = compute_totals([vat_line("333.33")] * 3)

    assert totals.lines_net == (Decimal("333.33"),) * 3
    assert totals.total_net == Decimal("999.99")
    assert totals.total_vat == Decimal("200.00")
    assert totals.total_gross == Decimal("1199.99")
    [breakdown] = totals.breakdown
    assert (breakdown.category, breakdown.rate, breakdown.base, breakdown.vat) == (
        "S",
        Decimal("20.00"),
        Decimal("999.99"),
        Decimal("200.00"),
    )


@pytest.mark.django_db
def test_fc13_an_issued_invoice_stores_the_totals_of_the_standard(settings):
    settings.ACADEMY_INVOICE_VAT_NUMBER = "FR40123456789"
    organisation()
    invoice = issue_invoice(draft(lines=[vat_line("333.33")] * 3))
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal("999.99"),
        Decimal("200.00"),
        Decimal("1199.99"),
    )


def test_fc13_line_net_amounts_are_rounded_half_up_to_the_cent_and_summed():
    assert line_net(Decimal("0.5"), Decimal("0.25")) == Decimal("0.13")  # 0.125 half-up, not banker's 0.12
    assert line_net(Decimal("2.5"), Decimal("10.01")) == Decimal("25.03")  # 25.025 → 25.03
    totals = compute_totals(
        [LineData("a", Decimal("3"), Decimal("0.125"), "S", Decimal("20")), vat_line("10.005", quantity="1")]
    )
    assert totals.lines_net == (Decimal("0.38"), Decimal("10.01"))
    assert totals.total_net == Decimal("10.39")


def test_fc13_vat_is_computed_per_rate_and_exempt_lines_carry_no_vat():
    totals = compute_totals(
        [
            vat_line("100.00", rate="20"),
            vat_line("50.00", rate="5.5"),
            vat_line("0.05", rate="5.5"),
            exempt_line("1000"),
        ]
    )
    by_rate = {(b.category, b.rate): (b.base, b.vat) for b in totals.breakdown}
    assert by_rate == {
        ("S", Decimal("20.00")): (Decimal("100.00"), Decimal("20.00")),
        ("S", Decimal("5.50")): (Decimal("50.05"), Decimal("2.75")),  # 2.75275 → 2.75
        ("E", Decimal("0.00")): (Decimal("1000.00"), Decimal("0.00")),
    }
    assert totals.total_vat == Decimal("22.75")
    assert totals.total_gross == totals.total_net + totals.total_vat == Decimal("1172.80")


@pytest.mark.django_db
def test_fc13_training_exempt_lines_are_category_e_with_the_cgi_reason_and_no_vat():
    organisation()
    invoice = issue_invoice(draft(lines=[exempt_line("333.33")] * 3))
    assert {(line.vat_category, line.vat_rate, line.exemption_reason) for line in invoice.lines.all()} == {
        ("E", Decimal("0.00"), TRAINING_EXEMPTION_REASON)
    }
    assert "261-4-4°-a" in TRAINING_EXEMPTION_REASON
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal("999.99"),
        Decimal("0.00"),
        Decimal("999.99"),
    )
