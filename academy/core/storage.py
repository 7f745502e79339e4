"""File storage faults: a document that cannot be read now answers 503 with a page, never 500.

Documents and signatures live in the default storage — a local folder, or S3-compatible object
storage (``ACADEMY_STORAGE=s3``, docs/deployment.md). When the storage cannot be reached, the page
that reads a file says the document is temporarily unavailable (503, ``Retry-After``); anything
that was being written is rolled back with the request's transaction.
"""

from __future__ import annotations

import logging

from django.shortcuts import render

logger = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The file storage could not be reached or did not answer."""


def storage_errors() -> tuple[type[BaseException], ...]:
    """Exception classes that mean "the storage is unreachable or failing" (object storage client)."""
    errors: list[type[BaseException]] = [StorageUnavailable]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is a runtime dependency
        pass
    return tuple(errors)


class StorageUnavailableMiddleware:
    """Answer 503 "temporarily unavailable" when a view fails because the storage failed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.errors = storage_errors()

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, self.errors):
            return None
        logger.error("File storage unavailable on %s: %s", request.path, type(exception).__name__)
        response = render(request, "core/storage_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
