"""Logging filters of the project (configured in ``settings.LOGGING``)."""

from __future__ import annotations

import logging


class OneLineClientErrors(logging.Filter):
    """Log a refused or unknown page (4xx) as one line: drop the traceback Django attaches to it.

    Django logs every 403 and 404 raised as an exception with its traceback; they are answers to a
    visitor, not faults, and the tracebacks drown the real errors (5xx keep theirs).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
