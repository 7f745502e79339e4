"""Who may reach each commerce page (merged into the project's role matrix by the accounts tests).

The terms of sale and internal rules are public: anyone may read the version in force and every
published version a booking or an agreement refers to. A booking's funding and the quotes'
and agreements' staff pages are for staff only; a quote's answer link and an agreement's signing
link are their own credentials (a forged one opens nothing, for anyone).
"""

from __future__ import annotations

from tests.accounts.role_matrix import EVERYONE, FORGED_TOKEN, NOBODY, STAFF, Rule


def _published(kind: str):
    def build(world) -> dict:
        from .factories import published_terms

        return {"version": published_terms(kind=kind).version}

    return build


def _quote(world) -> dict:
    from academy.commerce.models import Quote

    return {"pk": Quote.objects.create(organisation_name="Autre client").pk}


def _agreement(world) -> dict:
    from academy.commerce.models import Agreement

    return {"pk": Agreement.objects.create(kind=Agreement.Kind.AGREEMENT, party_name="Autre client").pk}


def _lead(world) -> dict:
    from tests.factories.privacy import LeadFactory

    return {"pk": LeadFactory().pk}


MATRIX = {
    "commerce:terms_of_sale": Rule(EVERYONE),
    "commerce:internal_rules": Rule(EVERYONE),
    "commerce:terms_of_sale_version": Rule(EVERYONE, kwargs=_published("terms_of_sale")),
    "commerce:internal_rules_version": Rule(EVERYONE, kwargs=_published("internal_rules")),
    "commerce:booking_funding": Rule(STAFF, kwargs=lambda w: {"pk": w.enrolment.booking_id}),
    "commerce:quote_answer": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "commerce:quote_answer_pdf": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "commerce:staff_quotes": Rule(STAFF),
    "commerce:staff_quote": Rule(STAFF, kwargs=_quote),
    "commerce:staff_quote_new": Rule(STAFF),
    "commerce:staff_quote_edit": Rule(STAFF, kwargs=_quote),
    "commerce:staff_quote_pdf": Rule(STAFF, kwargs=_quote),
    "commerce:staff_quote_from_lead": Rule(STAFF, kwargs=_lead, method="POST"),
    "commerce:agreement_sign": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "commerce:agreement_sign_pdf": Rule(NOBODY, kwargs=lambda w: {"token": FORGED_TOKEN}),
    "commerce:staff_agreement": Rule(STAFF, kwargs=_agreement),
    "commerce:staff_agreement_pdf": Rule(STAFF, kwargs=_agreement),
    "commerce:staff_agreement_from_booking": Rule(
        STAFF, kwargs=lambda w: {"pk": w.enrolment.booking_id}, method="POST"
    ),
    "commerce:staff_agreement_from_quote": Rule(STAFF, kwargs=_quote, method="POST"),
}
