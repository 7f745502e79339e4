"""Access and erasure: invoices billed to a person are exported; drafts are erased, issued ones kept."""

import pytest

from academy.invoicing.models import Invoice
from academy.invoicing.personal_data import PROVIDER
from academy.invoicing.services import issue_invoice

from .helpers import draft, organisation

pytestmark = pytest.mark.django_db


def test_a_person_gets_their_invoices_and_erasure_deletes_drafts_but_keeps_issued_invoices():
    organisation()
    issued = issue_invoice(draft(payer_kind="person", name="Jeanne Martin", email="Jeanne.Martin@Exemple.fr"))
    pending = draft(payer_kind="person", name="Jeanne Martin", email="jeanne.martin@exemple.fr")
    other = draft(email="autre@exemple.fr")

    exported = PROVIDER.export("jeanne.martin@exemple.fr")
    assert [i["number"] for i in exported["invoices"]] == [issued.number, None]

    assert PROVIDER.erase("jeanne.martin@exemple.fr") == 1
    assert set(Invoice.objects.values_list("pk", flat=True)) == {issued.pk, other.pk}
    assert not Invoice.objects.filter(pk=pending.pk).exists()
    assert "L123-22" in PROVIDER.retained[0]
    assert PROVIDER.export("nobody@exemple.fr") == {}
