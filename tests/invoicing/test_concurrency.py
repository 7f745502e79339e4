"""FC-12 on PostgreSQL with real parallel transactions: one thread, one connection, one issuing each."""

import pytest

from academy.invoicing.models import Invoice
from academy.invoicing.services import issue_invoice
from tests.enrolment.test_concurrency import run_in_parallel

from .helpers import draft, organisation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fc12_fifty_parallel_issuings_give_fifty_consecutive_numbers_with_no_gap_and_no_duplicate(
    require_postgresql,
):
    organisation()
    drafts = [draft() for _ in range(50)]
    abandoned = draft()

    results = run_in_parallel([lambda invoice=invoice: issue_invoice(invoice) for invoice in drafts])

    assert [r for r in results if isinstance(r, Exception)] == []
    issued = list(Invoice.objects.exclude(pk=abandoned.pk).order_by("number"))
    year = issued[0].issue_date.year
    assert [i.number for i in issued] == ["%d-%06d" % (year, n) for n in range(1, 51)]
    # Chronological: the order of numbers is the order of issue.
    assert [i.issued_at for i in issued] == sorted(i.issued_at for i in issued)
    abandoned.delete()
    assert issue_invoice(draft()).number == "%d-000051" % year
