"""Factories of the commerce tests."""

from __future__ import annotations

import datetime

import factory

from academy.commerce.models import TermsDocument


class TermsDocumentFactory(factory.django.DjangoModelFactory):
    """A draft terms-of-sale version; pass ``published=True`` through ``publish_terms`` to publish."""

    class Meta:
        model = TermsDocument

    kind = TermsDocument.Kind.TERMS_OF_SALE
    version = factory.Sequence(lambda n: n + 1)
    title = "Conditions générales de vente"
    body = "### Objet\n\nLes présentes CGV s'appliquent à **toute** commande."
    effective_date = datetime.date(2026, 1, 1)


def published_terms(**kwargs) -> TermsDocument:
    """A published terms document (``kwargs`` as for the factory)."""
    from academy.commerce.terms import publish

    return publish(TermsDocumentFactory(**kwargs))
