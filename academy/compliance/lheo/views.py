"""The public LHEO offer at a stable URL, and the staff page importing courses from an LHEO file."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from academy.accounts.access import Role, require_role
from academy.catalog.coursefiles import CatalogueFileError
from academy.catalog.pagecache import listing_scopes
from academy.core.pagecache import cache_public_page

from .export import LheoError, offer_xml
from .importer import MAX_BYTES, import_lheo


@require_GET
@cache_public_page(listing_scopes, name="compliance.lheo_offer")
def lheo_offer(request: HttpRequest) -> HttpResponse:
    """The LHEO 2.3 document of the catalogue; 503 with the reason while it cannot be valid.

    Served from the page cache to anonymous visitors like the catalogue listing: built and
    validated again after any change of a course, a session or a half-day (seats taken show within
    ``ACADEMY_PAGE_CACHE_SECONDS``).
    """
    site_url = request.build_absolute_uri("/").rstrip("/")
    try:
        document = offer_xml(site_url=site_url)
    except LheoError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="offre-lheo.xml"'
    return response


class LheoImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("LHEO file (XML)"))


@require_role(Role.PLANNER)
@require_http_methods(["GET", "POST"])
def lheo_import(request: HttpRequest) -> HttpResponse:
    """Staff upload an LHEO file; its courses are imported all or nothing, or the error is shown."""
    form = LheoImportForm(request.POST or None, request.FILES or None)
    report, error, status = None, None, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                error, status = _("The file is larger than 10 MB."), 400
            else:
                try:
                    report = import_lheo(upload.read(), path=upload.name)
                except CatalogueFileError as exc:
                    error, status = str(exc), 400
        else:
            status = 400
    return render(
        request, "compliance/lheo/import.html", {"form": form, "report": report, "error": error}, status=status
    )
