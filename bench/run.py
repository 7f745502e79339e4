"""``make bench``: public pages under load, side by side with Django's floor, on PostgreSQL.

1. (Re)creates the benchmark database (``BENCH_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/academy_bench``), migrates it and generates a catalogue
   at ``BENCH_SCALE`` (S or L, see ``bench/generate.py``). ``--reuse`` keeps a database
   generated before at the same scale.
2. Measures, in this process, the CPU time of a course page rendered without the page cache
   (a cache miss) and the number of queries of each page.
3. Starts the production server — gunicorn, 2 sync workers — on ``bench.wsgi`` (the product plus
   a hello-world view, the floor), and loads each page in turn with wrk (16 connections; 2 for
   the PDF and the sitemap), after a warm-up.
4. Prints req/s, p50, p99 and the ratio of each page's req/s to the floor's, as a Markdown table.
   The floor is measured again just before each page, with the same connections: the ratio
   compares runs under the same machine load.

Usage: .venv/bin/python bench/run.py [--scale S|L] [--seconds 10] [--port 8001] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WRK_VERSION = "4.1.0"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/academy_bench"

#: (label, path, connections)
PAGES = [
    ("floor: hello-world view", "/__bench__/hello/", 16),
    ("course page (seed course, 20 upcoming sessions)", "/courses/COMNUM/", 16),
    ("catalogue listing", "/", 16),
    ("catalogue search (“numerique”)", "/?q=numerique", 16),
    ("course page, English", "/en/courses/COMNUM/", 16),
    ("programme PDF", "/courses/COMNUM/programme.pdf", 2),
    ("sitemap index", "/sitemap.xml", 2),
    ("sitemap part (courses)", "/sitemap-courses.xml", 2),
]


def _environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "ACADEMY_VAR_DIR": args.var_dir,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        connection.execute('CREATE DATABASE "%s"' % name)


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _generated_scale() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_scale')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT scale FROM bench_scale")
        row = cursor.fetchone()
    return row[0] if row else None


def _measure_in_process(requests: int = 30) -> tuple[float, dict[str, int], dict[str, float]]:
    """CPU ms (median) of a course page rendered without the page cache; for each page, its
    queries and its median server time (ms) when not cached."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ACADEMY_PAGE_CACHE_ENABLED = False
    client = Client()
    queries, miss_ms = {}, {}
    for label, path, _connections in PAGES[1:]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (path, response.status_code)
        queries[label] = len(captured)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(path, HTTP_HOST="127.0.0.1")
            timings.append((time.perf_counter() - started) * 1000)
        miss_ms[label] = statistics.median(timings)
    cpu = []
    for _ in range(requests):
        started = time.process_time()
        client.get("/courses/COMNUM/", HTTP_HOST="127.0.0.1")
        cpu.append((time.process_time() - started) * 1000)
    settings.ACADEMY_PAGE_CACHE_ENABLED = True
    return statistics.median(cpu), queries, miss_ms


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def _wrk(url: str, connections: int, seconds: int) -> dict[str, float]:
    threads = min(2, connections)
    output = subprocess.run(
        ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
    }
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    found["errors"] = int(errors.group(1)) if errors else 0
    return found


def _check_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk %s is needed (Debian package 'wrk'): apt-get install wrk=4.1.0-3+b2 — `make bench` installs it "
            "when run as root." % WRK_VERSION
        )
    version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    if WRK_VERSION not in version:
        print("warning: wrk %s expected, found %s" % (WRK_VERSION, version.splitlines()[0] if version else "?"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "S"), choices=["S", "L"])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8001")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "2")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reuse", action="store_true", help="keep a database generated before at this scale")
    args = parser.parse_args()
    args.var_dir = tempfile.mkdtemp(prefix="academy-bench-")
    _check_wrk()
    env = _environment(args)

    print("Academy benchmark — scale %s, %s" % (args.scale, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    print("machine: %s, %d CPU, Python %s" % (platform.platform(), os.cpu_count() or 0, platform.python_version()))
    reuse = False
    if args.reuse:
        try:
            _setup_django(env)
            reuse = _generated_scale() == args.scale
        except Exception:  # noqa: BLE001 — no usable database: generate one
            reuse = False
    if not reuse:
        started = time.perf_counter()
        print("generating the catalogue at scale %s…" % args.scale, flush=True)
        _recreate_database(args.database_url)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        _setup_django(env)
        from django.db import connection

        from bench.generate import generate

        counts = generate(args.scale)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_scale (scale text)")
            cursor.execute("INSERT INTO bench_scale VALUES (%s)", [args.scale])
        print(
            "generated in %.0f s: %s"
            % (time.perf_counter() - started, ", ".join("%s %d" % kv for kv in counts.items()))
        )
    cpu_ms, queries, miss_ms = _measure_in_process()
    from django.db import connections

    connections.close_all()
    print("course page cache miss: %.1f ms CPU (median of 30, in process)" % cpu_ms)

    base = "http://127.0.0.1:%d" % args.port
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi:application",
            "--workers=%d" % args.workers,
            "--worker-class=sync",
            "--bind=127.0.0.1:%d" % args.port,
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    results = []
    floor_path = PAGES[0][1]
    try:
        _wait_for(base + floor_path)
        for label, path, connections_count in PAGES:
            for _ in range(3):  # warm-up: templates loaded, pages cached
                urllib.request.urlopen(base + path, timeout=60).read()
            # The machine's load varies: each page is compared with a floor run just before it,
            # with the same number of connections.
            floor = _wrk(base + floor_path, connections_count, args.seconds)
            found = _wrk(base + path, connections_count, args.seconds) if path != floor_path else floor
            found["floor"] = floor["rps"]
            results.append((label, path, connections_count, found))
            print(
                "  %-50s %8.1f req/s  p50 %7.1f ms  p99 %7.1f ms  (floor %7.1f req/s)"
                % (label, found["rps"], found["p50"], found["p99"], floor["rps"])
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(args.var_dir, ignore_errors=True)

    print()
    print(
        "| page | connections | req/s | p50 | p99 | floor req/s (run just before) | share of the floor "
        "| queries on a miss | server time of a miss |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, _path, connections_count, found in results:
        share = 100.0 * found["rps"] / found["floor"] if found["floor"] else 0.0
        errors = " (%d errors)" % found["errors"] if found["errors"] else ""
        print(
            "| %s | %d | %.0f%s | %.1f ms | %.1f ms | %.0f | %.1f %% | %s | %s |"
            % (
                label,
                connections_count,
                found["rps"],
                errors,
                found["p50"],
                found["p99"],
                found["floor"],
                share,
                queries.get(label, "—"),
                "%.0f ms" % miss_ms[label] if label in miss_ms else "—",
            )
        )
    print("\ncourse page cache miss: %.1f ms CPU" % cpu_ms)


if __name__ == "__main__":
    main()
