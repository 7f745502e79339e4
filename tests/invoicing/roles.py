"""Who may reach each invoicing page (merged into the project's role matrix by the accounts tests).

Every invoicing page is for staff planners and administrators; a client contact, a trainer, a
trainee or a staff account without a role never reaches an invoice here.
"""

from __future__ import annotations

from tests.accounts.role_matrix import STAFF, Rule


def _draft(world) -> dict:
    from .helpers import draft

    return {"pk": draft(client_organisation_id=world.client_organisation.pk).pk}


def _issued(world) -> dict:
    from academy.invoicing.services import issue_invoice

    from .helpers import draft

    return {"pk": issue_invoice(draft(client_organisation_id=world.client_organisation.pk)).pk}


def _booking(world) -> dict:
    return {"pk": world.booking.pk}


def _session(world) -> dict:
    return {"pk": world.booking.course_session_id}


MATRIX = {
    "invoicing:list": Rule(STAFF),
    "invoicing:journal": Rule(STAFF),
    "invoicing:pipeline": Rule(STAFF),
    "invoicing:detail": Rule(STAFF, kwargs=_issued),
    "invoicing:issue": Rule(STAFF, kwargs=_draft, method="POST"),
    "invoicing:add_payment": Rule(STAFF, kwargs=_issued, method="POST"),
    "invoicing:credit": Rule(STAFF, kwargs=_issued, method="POST"),
    "invoicing:pdf": Rule(STAFF, kwargs=_issued),
    "invoicing:draft_booking": Rule(STAFF, kwargs=_booking, method="POST"),
    "invoicing:draft_session": Rule(STAFF, kwargs=_session, method="POST"),
}
