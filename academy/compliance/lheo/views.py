"""The public LHEO offer: the published catalogue and its upcoming sessions, at a stable URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .export import LheoError, offer_xml


@require_GET
def lheo_offer(request: HttpRequest) -> HttpResponse:
    """The LHEO 2.3 document of the catalogue; 503 with the reason while it cannot be valid."""
    site_url = request.build_absolute_uri("/").rstrip("/")
    try:
        document = offer_xml(site_url=site_url)
    except LheoError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="offre-lheo.xml"'
    return response
