"""gunicorn settings for Academy, from the environment (``gunicorn -c python:academy.gunicorn_conf``).

Variables: ``GUNICORN_BIND`` (default ``127.0.0.1:$PORT``, port 8000), ``WEB_CONCURRENCY`` (worker
processes, default 2 × CPU + 1, at most 8), ``GUNICORN_THREADS`` (per worker, default 1),
``GUNICORN_TIMEOUT`` (seconds, default 60), ``FORWARDED_ALLOW_IPS`` (the reverse proxy's address,
default 127.0.0.1). Logs are JSON lines (``academy.core.logfilters.JsonFormatter``): the access log
on standard output, the server's own messages on standard error.
"""

from __future__ import annotations

import multiprocessing
import os

from gunicorn.glogging import Logger

from academy.core.logfilters import JsonFormatter


class JsonLogger(Logger):
    """gunicorn's logger writing one JSON object per line (access: method, path, status, bytes, ms…)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "remote": atoms.get("h"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
            "bytes": atoms.get("B"),
            "ms": atoms.get("M"),
            "user_agent": atoms.get("a"),
        }
        self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra={"fields": fields})


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:%s" % os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by large PDFs), not all at the same moment.
max_requests = 1000
max_requests_jitter = 100
# Only the reverse proxy may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Worker heartbeats in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = JsonLogger
