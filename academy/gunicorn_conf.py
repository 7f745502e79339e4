"""gunicorn settings for Academy, from the environment (``gunicorn -c python:academy.gunicorn_conf``).

Variables: ``GUNICORN_BIND`` (default ``127.0.0.1:$PORT``, port 8000), ``WEB_CONCURRENCY`` (worker
processes, default 2 × CPU + 1, at most 8), ``GUNICORN_THREADS`` (per worker, default 1),
``GUNICORN_TIMEOUT`` (seconds, default 60), ``FORWARDED_ALLOW_IPS`` (the reverse proxy's address,
default 127.0.0.1). Access logs go to standard output as one JSON object per line.
"""

from __future__ import annotations

import multiprocessing
import os

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
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "user_agent": "%(a)s"}'
)
