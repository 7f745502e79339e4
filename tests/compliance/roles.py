"""Who may reach each compliance page (merged into the project's role matrix by the accounts tests).

The yearly report (BPF) is for staff planners and administrators; filing and locking a year is
for administrators only. The LHEO training offer is public, as the catalogue it describes.
"""

from __future__ import annotations

from tests.accounts.role_matrix import ADMINS, EVERYONE, STAFF, Rule


def _issued(world) -> dict:
    from academy.invoicing.services import issue_invoice
    from tests.invoicing.helpers import draft

    return {"pk": issue_invoice(draft(client_organisation_id=world.client_organisation.pk)).pk}


YEAR = {"year": 2026}

MATRIX = {
    "compliance:bpf_index": Rule(STAFF),
    "compliance:bpf_year": Rule(STAFF, kwargs=lambda w: YEAR),
    "compliance:bpf_line": Rule(STAFF, kwargs=lambda w: {**YEAR, "frame": "C", "code": "1"}),
    "compliance:bpf_export": Rule(STAFF, kwargs=lambda w: {**YEAR, "fmt": "json"}),
    "compliance:bpf_charges": Rule(STAFF, kwargs=lambda w: YEAR, method="POST", data=lambda w: {"charges_total": "10"}),
    "compliance:bpf_lock": Rule(ADMINS, kwargs=lambda w: YEAR, method="POST"),
    "compliance:bpf_invoice_funding_type": Rule(
        STAFF, kwargs=_issued, method="POST", data=lambda w: {"funding_type": "employer"}
    ),
    "compliance:lheo_offer": Rule(EVERYONE),
    "compliance:lheo_import": Rule(STAFF),
}
