"""Drafting from a booking's funding shares: plain data in the shape commerce will hand over."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from academy.invoicing.models import TRAINING_EXEMPTION_REASON
from academy.invoicing.services import draft_from_funding_share, issue_invoice
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import BookingFactory

from .helpers import organisation

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Share:
    """The fields of a funding share, as ``academy.commerce.funding.FundingShare`` will carry them."""

    payer_kind: str
    payer_name: str
    client_organisation_id: int | None
    email: str
    address: str
    agreement_number: str
    amount_excl_vat: Decimal
    direct_payment: bool


def test_each_funding_share_of_a_booking_drafts_its_own_invoice_with_the_payer_snapshot(settings):
    settings.ACADEMY_INVOICE_VAT_EXEMPT = True
    organisation()
    employer = ClientOrganisationFactory(name="Employeur SA", siret="11122233300014")
    booking = BookingFactory(client_organisation=employer)
    shares = [
        Share(
            "opco",
            "OPCO Atlas",
            None,
            "factures@opco.exemple",
            "1, rue X\n75013 Paris",
            "ACC-1",
            Decimal("1500.00"),
            True,
        ),
        Share(
            "client",
            "Employeur SA",
            employer.pk,
            "compta@employeur.exemple",
            "2, rue Y\n69001 Lyon",
            "",
            Decimal("300.00"),
            False,
        ),
    ]

    opco, client = (draft_from_funding_share(s, description="Formation, 2 jours", booking=booking) for s in shares)

    assert (opco.payer_kind, opco.bill_to_name, opco.agreement_number, opco.direct_payment) == (
        "opco",
        "OPCO Atlas",
        "ACC-1",
        True,
    )
    assert (client.client_organisation, client.bill_to_siret, client.course_session) == (
        employer,
        "11122233300014",
        booking.course_session,
    )
    [line] = opco.lines.all()
    assert (line.unit_price, line.vat_category, line.exemption_reason) == (
        Decimal("1500.00"),
        "E",
        TRAINING_EXEMPTION_REASON,
    )
    assert issue_invoice(opco).total_gross == Decimal("1500.00")


def test_a_share_with_vat_drafts_a_standard_rate_line_when_the_organisation_charges_vat(settings):
    settings.ACADEMY_INVOICE_VAT_EXEMPT = False
    settings.ACADEMY_INVOICE_VAT_NUMBER = "FR40123456789"
    organisation()
    share = Share(
        "person", "Jeanne Martin", None, "jeanne@exemple.fr", "3, rue Z\n33000 Bordeaux", "", Decimal("333.33"), False
    )
    invoice = issue_invoice(draft_from_funding_share(share, description="Formation"))
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal("333.33"),
        Decimal("66.67"),
        Decimal("400.00"),
    )
