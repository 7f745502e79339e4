"""Legal pages generated from the training organisation's data: legal notice, accessibility statement."""

from __future__ import annotations

from django.shortcuts import render

ACCESSIBILITY_STANDARD = "RGAA 4.1"


def legal_notice(request):
    """The legal notice (mentions légales): publisher, identifiers, director of publication, host.

    Source: loi 2004-575 pour la confiance dans l'économie numérique, art. 6 III; Code du travail
    L.6351-1 (declaration number).
    """
    return render(request, "compliance/legal_notice.html")


def accessibility(request):
    """The accessibility statement: RGAA 4.1 status, contact and recourse.

    The status stays « partiellement conforme » until an audit has measured a compliance rate
    (loi 2005-102 art. 47, décret 2019-768; RGAA 4.1 statement model).
    """
    return render(request, "compliance/accessibility.html", {"standard": ACCESSIBILITY_STANDARD})
