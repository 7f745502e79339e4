"""Concurrent enrolments over HTTP against a real server, as people would send them.

Each test starts the product itself in a subprocess on a free loopback port — Django's server on
a fresh SQLite file, as ``make run`` serves it, or gunicorn on a PostgreSQL database of its own —
then fires a bounded number of parallel enrolments (each from its own loopback address, so the
per-address submission limit sees different people) and stops the server at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PEOPLE = 50
CAPACITY = 12
REQUEST_TIMEOUT = 120

SETUP_SCRIPT = (
    """
import datetime
from django.utils import timezone
from academy.catalog.models import Course
from academy.scheduling.models import CourseSession, SessionSlot
start = (timezone.now() + datetime.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
s = CourseSession.objects.create(course=Course.objects.get(code="COMNUM"), capacity_seats=%d,
    venue_address="12, rue de la Paix, 75002 Paris", price_excl_vat="950.00", status="open")
SessionSlot.objects.create(course_session=s, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
print(s.pk)
"""
    % CAPACITY
)

COUNT_SCRIPT = """
import json
from academy.enrolment.models import Enrolment
rows = Enrolment.objects.filter(course_session_id=%d)
print(json.dumps({"confirmed": rows.filter(status="confirmed").count(), "all": rows.count()}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    """Run ``manage.py`` with ``env``; return its standard output (fail the test on error)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args, *(["--no-imports"] if args[0] == "shell" else [])],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def product_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "ACADEMY_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "academy.settings",
            "DJANGO_SECRET_KEY": "load-test-" + uuid.uuid4().hex,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


class Server:
    """A server subprocess on 127.0.0.1:``port``, stopped on exit whatever happened."""

    def __init__(self, command: list[str], env: dict, port: int, log: Path):
        self.command, self.env, self.port, self.log = command, env, port, log

    def __enter__(self):
        self._log = open(self.log, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(self.command, cwd=BASE_DIR, env=self.env, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("the server did not start in 60 s:\n" + self.log.read_text()[-3000:])

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self._log.close()


def _request(port: int, source: str, method: str, path: str, body: str = "", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT, source_address=(source, 0))
    try:
        connection.request(method, path, body=body.encode() if body else None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie", ""), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def enrol_in_parallel(port: int, session_pk: int) -> list[int]:
    """Each of PEOPLE threads loads the form (own cookie and CSRF token), then all post at once.

    Returns the status code of every post (an exception's text where none came back).
    """
    path = "/enrolment/sessions/%d/" % session_pk
    barrier = threading.Barrier(PEOPLE)
    statuses: list = [None] * PEOPLE

    def person(n: int) -> None:
        source = "127.0.0.%d" % (n + 10)
        try:
            status, set_cookie, html = _request(port, source, "GET", path)
            assert status == 200, (status, html[:500])
            cookie = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "for_whom": "self",
                    "contact_first_name": "Zoë",
                    "contact_last_name": "Núñez %d" % n,
                    "contact_email": "person%d@exemple.fr" % n,
                    "funding": "personal",
                    "overflow_policy": "waitlist_rest",
                    "accept_terms": "on",
                    "submission_key": str(uuid.uuid4()),
                    "trainees-INITIAL_FORMS": "0",
                    "trainees-MIN_NUM_FORMS": "1",
                    "trainees-MAX_NUM_FORMS": "20",
                }
            )
        except Exception as exc:  # recorded, asserted by the test
            statuses[n] = "form page: %r" % exc
            barrier.abort()
            return
        try:
            barrier.wait(timeout=REQUEST_TIMEOUT)
            statuses[n], _, _ = _request(
                port,
                source,
                "POST",
                path,
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "csrftoken=%s" % cookie,
                    "Referer": "http://127.0.0.1:%d%s" % (port, path),
                },
            )
        except Exception as exc:
            statuses[n] = "post: %r" % exc

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * 3)
    return statuses


def assert_every_enrolment_answered_and_capacity_held(statuses: list, counts: dict) -> None:
    assert [s for s in statuses if not isinstance(s, int)] == []
    assert [s for s in statuses if s >= 500] == []
    # Every person got through the form: redirected to their booking page, confirmed or waiting.
    assert statuses == [302] * PEOPLE
    assert counts == {"confirmed": CAPACITY, "all": PEOPLE}


def test_sqlite_default_mode_queues_concurrent_enrolments(tmp_path):
    env = product_env(tmp_path)
    manage(env, "migrate", "--noinput")
    manage(env, "import_catalogue")
    session_pk = int(manage(env, "shell", "-c", SETUP_SCRIPT).strip())
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:%d" % port]

    with Server(command, env, port, tmp_path / "server.log"):
        statuses = enrol_in_parallel(port, session_pk)

    counts = json.loads(manage(env, "shell", "-c", COUNT_SCRIPT % session_pk))
    assert "database is locked" not in (tmp_path / "server.log").read_text()
    assert_every_enrolment_answered_and_capacity_held(statuses, counts)


@pytest.fixture
def own_postgresql_database():
    """A PostgreSQL database created for the test and dropped after it; its URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (production runs gunicorn on PostgreSQL)")
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = "academy_http_load_%s" % uuid.uuid4().hex[:12]
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute('CREATE DATABASE "%s"' % name)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def test_gunicorn_on_postgresql_serves_concurrent_enrolments_within_capacity(tmp_path, own_postgresql_database):
    env = product_env(
        tmp_path,
        DATABASE_URL=own_postgresql_database,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")  # production serves hashed static files
    manage(env, "import_catalogue")
    session_pk = int(manage(env, "shell", "-c", SETUP_SCRIPT).strip())
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "academy.wsgi", "--bind", "127.0.0.1:%d" % port, "--workers", "3", "--timeout", "120"]

    with Server(command, env, port, tmp_path / "server.log"):
        statuses = enrol_in_parallel(port, session_pk)

    counts = json.loads(manage(env, "shell", "-c", COUNT_SCRIPT % session_pk))
    assert_every_enrolment_answered_and_capacity_held(statuses, counts)
