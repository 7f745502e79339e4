"""Public pages of the terms of sale and internal rules: the version in force, and any published one."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from . import terms
from .models import TermsDocument


def _page(request, kind: str, document: TermsDocument | None):
    others = TermsDocument.objects.filter(kind=kind, published_at__isnull=False).order_by("-version")
    return render(
        request,
        "commerce/terms.html",
        {
            "kind": kind,
            "kind_label": TermsDocument.Kind(kind).label,
            "document": document,
            "in_force": terms.current(kind),
            "versions": others,
            "version_url": "commerce:%s_version" % kind,
        },
    )


def terms_page(request, kind: str):
    """The version of ``kind`` in force today, or an empty state saying none is published."""
    return _page(request, kind, terms.current(kind))


def terms_version_page(request, kind: str, version: int):
    """One published version of ``kind`` (bookings and agreements link to the version accepted); 404 otherwise."""
    document = TermsDocument.objects.filter(kind=kind, version=version, published_at__isnull=False).first()
    if document is None:
        raise Http404
    return _page(request, kind, document)
