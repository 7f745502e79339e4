"""What the invoicing app holds about a person, for access and erasure requests.

An invoice billed to a person names them and their address. Issued invoices and credit notes are
accounting documents that must be kept ten years (Code de commerce L123-22) and cannot be altered
(CGI art. 242 nonies A, database guard): erasure keeps them. Drafts are not documents yet: erasure
deletes them.
"""

from __future__ import annotations

from django.db import transaction

from academy.privacy.registry import PersonalDataProvider

from .models import Invoice


def _billed_to(email_normalised: str):
    return Invoice.objects.filter(bill_to_email__iexact=email_normalised)


def export(email_normalised: str) -> dict:
    """Return the invoices and credit notes billed to the person's address (drafts included)."""
    invoices = [
        {
            "number": invoice.number,
            "kind": invoice.kind,
            "status": invoice.status,
            "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
            "billed_to": invoice.bill_to_name,
            "address": invoice.bill_to_address,
            "total_incl_vat": str(invoice.total_gross),
        }
        for invoice in _billed_to(email_normalised).order_by("pk")
    ]
    return {"invoices": invoices} if invoices else {}


def erase(email_normalised: str) -> int:
    """Delete the drafts billed to the person; issued invoices are kept (``retained``). Returns the count."""
    with transaction.atomic():
        drafts = _billed_to(email_normalised).filter(number__isnull=True)
        return drafts.delete()[1].get(Invoice._meta.label, 0)


PROVIDER = PersonalDataProvider(
    app_label="invoicing",
    export=export,
    erase=erase,
    retained=[
        "Issued invoices and credit notes, accounting documents kept ten years (Code de commerce L123-22) "
        "and never altered after issue (CGI art. 242 nonies A).",
    ],
)
