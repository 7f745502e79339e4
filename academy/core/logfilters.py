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


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line (production logs, ``ACADEMY_LOG_FORMAT=json``).

    Keys: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``process``; ``status_code``
    and ``path`` when Django attached a request; the items of a ``fields`` dict given as ``extra``
    (the web server's access log); ``exception`` (the traceback text) when there is one.
    """

    def format(self, record: logging.LogRecord) -> str:
        import datetime
        import json

        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if (status := getattr(record, "status_code", None)) is not None:
            entry["status_code"] = status
        request = getattr(record, "request", None)
        if path := getattr(request, "path", None):
            entry["path"] = path
        if isinstance(fields := getattr(record, "fields", None), dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)
