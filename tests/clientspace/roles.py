"""Who may reach each client-space page (merged into the project's role matrix by the accounts tests).

The home page is for client contacts alone. Every document page is given a document of another
organisation (the world's), so a contact of another organisation is refused like everyone else
(404, as for an unknown document); staff use their own pages.
"""

from __future__ import annotations

from tests.accounts.role_matrix import CLIENT_CONTACT, NOBODY, Rule


def _quote(world) -> dict:
    from academy.commerce.models import Quote

    quote = Quote.objects.create(
        client_organisation=world.client_organisation, organisation_name="Autre Société", reference="D-2026-9999"
    )
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.ISSUED)
    return {"pk": quote.pk}


def _agreement(world) -> dict:
    from academy.commerce.models import Agreement

    agreement = Agreement.objects.create(
        kind=Agreement.Kind.AGREEMENT,
        status=Agreement.Status.ISSUED,
        client_organisation=world.client_organisation,
        booking=world.booking,
        pdf=b"%PDF-1.7 other organisation",
    )
    return {"pk": agreement.pk}


def _invoice(world) -> dict:
    from academy.invoicing.services import issue_invoice
    from tests.invoicing.helpers import draft

    return {"pk": issue_invoice(draft(client_organisation_id=world.client_organisation.pk)).pk}


MATRIX = {
    "clientspace:home": Rule(frozenset({CLIENT_CONTACT})),
    "clientspace:quote_pdf": Rule(NOBODY, kwargs=_quote),
    "clientspace:agreement_pdf": Rule(NOBODY, kwargs=_agreement),
    "clientspace:invoice_pdf": Rule(NOBODY, kwargs=_invoice),
    "clientspace:sheet_pdf": Rule(NOBODY, kwargs=lambda w: {"pk": w.course_session.pk}),
}
