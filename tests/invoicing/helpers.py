"""Builders for invoicing tests: a complete organisation, a buyer and lines."""

from decimal import Decimal

from academy.invoicing.services import BillTo, LineData, create_draft
from tests.factories.core import TrainingOrganisationFactory


def organisation(**overrides):
    return TrainingOrganisationFactory(**overrides)


def client_bill_to(**overrides) -> BillTo:
    values = {
        "payer_kind": "client",
        "name": "Société Cliente SARL",
        "address": "3, avenue des Tests\n69001 Lyon",
        "email": "compta@cliente.exemple",
        "siret": "98765432100017",
        "vat_number": "FR12987654321",
    }
    values.update(overrides)
    return BillTo(**values)


def exempt_line(amount="1200.00", quantity="1", description="Formation « Communs numériques », 2 jours"):
    return LineData(description, Decimal(quantity), Decimal(amount), "E", Decimal("0"), "")


def vat_line(amount="333.33", quantity="1", rate="20", description="Formation inter-entreprises, 1 stagiaire"):
    return LineData(description, Decimal(quantity), Decimal(amount), "S", Decimal(rate))


def draft(lines=None, **bill_to):
    return create_draft(bill_to=client_bill_to(**bill_to), lines=lines or [exempt_line()])
