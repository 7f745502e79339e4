"""Cookieless audience measurement: count anonymous page views per path and day."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.utils import timezone

from .services import count_page_view

logger = logging.getLogger(__name__)

# Paths that are not public pages: back office, files, machine endpoints.
EXCLUDED_PREFIXES = ("/admin/", "/static/", "/media/", "/api/", "/i18n/", "/favicon")
_BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "preview", "headless")


class AudienceMiddleware:
    """Count each successful GET of an HTML page, keeping only (day, path, count).

    No cookie is read or set, no IP address or user agent is stored: the statistics are anonymous
    and exempt from consent (CNIL deliberation 2020-091 art. 5). The user agent is looked at only
    to skip robots. Only 200 responses are counted, so unknown paths cannot fill the table.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._counts(request, response):
            try:
                count_page_view(path=request.path, day=timezone.localdate())
            except DatabaseError:  # measurement must never break a page
                logger.warning("audience count failed for %s", request.path, exc_info=True)
        return response

    @staticmethod
    def _counts(request, response) -> bool:
        if request.method != "GET" or response.status_code != 200:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if request.path.startswith(EXCLUDED_PREFIXES) or "/staff/" in request.path:
            return False
        agent = request.META.get("HTTP_USER_AGENT", "").lower()
        return not any(marker in agent for marker in _BOT_MARKERS)
