"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from .models import TrainingOrganisation


def organisation(request: HttpRequest) -> dict:
    """Expose the training organisation as ``organisation`` (one query, cached on the request)."""
    return {"organisation": TrainingOrganisation.for_request(request)}
