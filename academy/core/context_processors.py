"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from .models import TrainingOrganisation


def organisation(request: HttpRequest) -> dict:
    """Expose the training organisation as ``organisation`` (one query, cached on the request)."""
    if not hasattr(request, "_academy_organisation"):
        request._academy_organisation = TrainingOrganisation.current()  # type: ignore[attr-defined]
    return {"organisation": request._academy_organisation}  # type: ignore[attr-defined]
