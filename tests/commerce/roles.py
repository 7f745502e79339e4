"""Who may reach each commerce page (merged into the project's role matrix by the accounts tests).

The terms of sale and internal rules are public: anyone may read the version in force and every
published version a booking or an agreement refers to. A booking's funding is for staff only.
"""

from __future__ import annotations

from tests.accounts.role_matrix import EVERYONE, STAFF, Rule


def _published(kind: str):
    def build(world) -> dict:
        from .factories import published_terms

        return {"version": published_terms(kind=kind).version}

    return build


MATRIX = {
    "commerce:terms_of_sale": Rule(EVERYONE),
    "commerce:internal_rules": Rule(EVERYONE),
    "commerce:terms_of_sale_version": Rule(EVERYONE, kwargs=_published("terms_of_sale")),
    "commerce:internal_rules_version": Rule(EVERYONE, kwargs=_published("internal_rules")),
    "commerce:booking_funding": Rule(STAFF, kwargs=lambda w: {"pk": w.enrolment.booking_id}),
}
