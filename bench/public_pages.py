"""Benchmark: server time of the public catalogue pages on a large catalogue.

Builds, in a throw-away database, 300 courses (plus the bundled seed course), 50 open sessions
and 10,000 end-of-course answers, then times the catalogue listing and the seed course page
through Django's test client (server-side time only, no network). Prints median and p95.

Usage: .venv/bin/python bench/public_pages.py [--requests N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
os.environ.setdefault("ACADEMY_VAR_DIR", tempfile.mkdtemp(prefix="academy-bench-"))
os.environ.setdefault("ACADEMY_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("DJANGO_DEBUG", "1")


def timed(client, url: str, count: int) -> list[float]:
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return durations


def report(name: str, durations: list[float]) -> None:
    ordered = sorted(durations)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        "%-28s median %7.1f ms   p95 %7.1f ms   (%d requests)" % (name, statistics.median(ordered), p95, len(ordered))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from academy.catalog.models import Course
    from tests.factories.catalog import CourseFactory
    from tests.factories.evaluation import bulk_end_survey
    from tests.factories.scheduling import session_with_days

    setup_test_environment()
    from django.db import connection

    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("import_catalogue", verbosity=0)
        seed = Course.objects.get(code="COMNUM")
        CourseFactory.create_batch(300, domain=seed.domain)
        day = datetime.date.today() + datetime.timedelta(days=30)
        sessions = [session_with_days(day + datetime.timedelta(days=i), course=seed) for i in range(50)]
        bulk_end_survey(sessions[0], [(5 if i % 3 else 4, i % 7 != 0) for i in range(10_000)])
        from academy.evaluation.services import rebuild_daily_satisfaction

        rebuild_daily_satisfaction()
        client = Client()
        timed(client, "/", 3)  # warm caches and templates
        report("catalogue listing", timed(client, "/", args.requests))
        report("seed course page", timed(client, seed.get_absolute_url(), args.requests))
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
