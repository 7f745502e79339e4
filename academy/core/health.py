"""Health and readiness probes for load balancers, supervisors and monitoring.

``/healthz`` checks each service the product needs — database, cache, task queue, file storage —
and answers 200 when all answer, 503 naming the one(s) that failed. ``/readyz`` answers 200 once
the database is reachable and every migration is applied (a node started before ``migrate`` ran
is not sent traffic). Both answer JSON, are never cached, and reveal no configuration: a failed
check gives the exception's class name only.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache, caches
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

CHECKS: dict[str, Callable[[], str]] = {}


def _check(name: str):
    def register(function: Callable[[], str]) -> Callable[[], str]:
        CHECKS[name] = function
        return function

    return register


@_check("database")
def check_database() -> str:
    """Run ``SELECT 1``; return the database vendor."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


@_check("cache")
def check_cache() -> str:
    """Write, read back and delete a key; return the cache backend's class name."""
    key, value = "healthz:%s" % uuid.uuid4().hex, uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)
    return type(caches["default"]).__name__


def task_backend_kind() -> str:
    """``"redis"``, ``"database"`` or the backend's class name for the default task backend."""
    from django.conf import settings

    path = settings.TASKS["default"]["BACKEND"]
    for kind, backend in settings.TASK_BACKENDS.items():
        if path == backend:
            return kind
    return path.rsplit(".", 1)[-1]


@_check("queue")
def check_queue() -> str:
    """Reach the task queue: PING Redis, or read the database queue's table; return its kind."""
    kind = task_backend_kind()
    if kind == "redis":
        import django_rq

        django_rq.get_connection("default").ping()
    elif kind == "database":
        from django_tasks_db.models import DBTaskResult

        list(DBTaskResult.objects.order_by().values_list("pk", flat=True)[:1])
    return kind


@_check("storage")
def check_storage() -> str:
    """Reach the file storage: the bucket (HEAD) for object storage, a writable folder otherwise."""
    storage = default_storage
    bucket_name = getattr(storage, "bucket_name", None)
    if bucket_name:
        storage.connection.meta.client.head_bucket(Bucket=bucket_name)
        return "s3"
    location = getattr(storage, "location", "")
    os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError("the storage folder is not writable")
    return "local"


def run_checks() -> tuple[bool, dict[str, dict]]:
    """Run every check; return (all passed, {name: {"status": "ok"|"fail", "ms": float, ...}})."""
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail = {"status": "ok", "backend": check()}
        except Exception as exc:  # reported, never raised: the probe must answer
            detail = {"status": "fail", "error": type(exc).__name__}
        detail["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = detail
    return all(r["status"] == "ok" for r in results.values()), results


@never_cache
@require_GET
def healthz(request):
    """200 ``{"status": "ok", "checks": {...}}`` when every service answers, else 503 "fail"."""
    healthy, checks = run_checks()
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)


_ready = False


def pending_migrations() -> list[str]:
    """Names ``app.migration`` of migrations not yet applied to the default database."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return ["%s.%s" % (migration.app_label, migration.name) for migration, _backwards in plan]


@never_cache
@require_GET
def readyz(request):
    """200 once the database answers and every migration is applied; 503 with the reason before."""
    global _ready
    if not _ready:
        try:
            pending = pending_migrations()
        except Exception as exc:
            return JsonResponse({"status": "not ready", "reason": "database: %s" % type(exc).__name__}, status=503)
        if pending:
            return JsonResponse(
                {"status": "not ready", "reason": "%d migration(s) to apply" % len(pending)}, status=503
            )
        _ready = True
    return JsonResponse({"status": "ready"})
