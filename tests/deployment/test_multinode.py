"""Two machines' worth of Academy sharing one PostgreSQL, one Redis and one S3-compatible storage.

The test starts everything itself: an S3-compatible server (moto in server mode), then two
"nodes", each a gunicorn web server and a background worker on the Redis task queue, each with a
folder of its own (no shared disk: e-mails are written per node, files go to object storage).
Through both nodes at once it books one session beyond its capacity, issues the certificates of
two sessions (one batch per worker), downloads every certificate through both nodes, triggers the
periodic work on both nodes at the same moment, then kills a worker in the middle of a task.

Run by ``.ci/run`` on PostgreSQL (``pytest -m multinode``); deselected from the ordinary run.
Needs: PostgreSQL (DATABASE_URL, the test creates and drops database ``<name>_nodes``), Redis on
127.0.0.1:6379 (databases 2 and 3, emptied), ports ``ACADEMY_TEST_PORT_BASE`` (8150) to +3.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import redis

pytestmark = pytest.mark.multinode

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PORT_BASE = int(os.environ.get("ACADEMY_TEST_PORT_BASE", "8150"))
S3_PORT, PORT_A, PORT_B = PORT_BASE, PORT_BASE + 1, PORT_BASE + 2
REDIS_QUEUE_URL = os.environ.get("ACADEMY_TEST_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/2")
REDIS_CACHE_URL = os.environ.get("ACADEMY_TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/3")
BUCKET = "academy-multinode"
CAPACITY = 6
PEOPLE_PER_NODE = 8
TIMEOUT = 90

SETUP_SCRIPT = """
import datetime, json
from django.utils import timezone
from academy.catalog.models import Course
from academy.scheduling.models import CourseSession, SessionSlot
from tests.attendance.helpers import trainee, two_day_session
from tests.factories.attendance import sign_slot

start = (timezone.now() + datetime.timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
open_session = CourseSession.objects.create(course=Course.objects.get(code="COMNUM"), capacity_seats=%(capacity)d,
    venue_address="12, rue de la Paix, 75002 Paris", price_excl_vat="950.00", status="open")
SessionSlot.objects.create(course_session=open_session, starts_at=start, ends_at=start + datetime.timedelta(hours=3))
from academy.core.models import TrainingOrganisation
TrainingOrganisation.objects.update(siret="12345678900015", declaration_number="11759999975",
    legal_representative="Camille Martin")
past = []
for n, trainees in enumerate((3, 3, 6)):
    session, trainer, slots = two_day_session(title="Masterclass Communs numériques %%d" %% n)
    for k in range(trainees):
        enrolment = trainee(session, first_name="Zoë", last_name="Núñez %%d-%%d" %% (n, k), email="t%%d-%%d@exemple.fr" %% (n, k))
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    past.append(session.pk)
print(json.dumps({"open": open_session.pk, "past": past}))
""" % {"capacity": CAPACITY}

BATCH_SCRIPT = """
import json
from academy.certification.services import start_certificate_batch
from academy.scheduling.models import CourseSession
batches = [start_certificate_batch(course_session=CourseSession.objects.get(pk=pk)).pk for pk in %s]
print(json.dumps(batches))
"""

STATE_SCRIPT = """
import json
from academy.certification.models import Certificate, CertificateBatch
from academy.certification.services import download_token
from academy.core.models import OutboundEmail, PeriodicRun
from academy.enrolment.models import Enrolment
batch_ids = %(batches)s
print(json.dumps({
    "confirmed": Enrolment.objects.filter(course_session_id=%(open)d, status="confirmed").count(),
    "enrolments": Enrolment.objects.filter(course_session_id=%(open)d).count(),
    "emails": list(OutboundEmail.objects.values_list("status", "attempts")),
    "batches": list(CertificateBatch.objects.filter(pk__in=batch_ids).values_list("status", "done")),
    "certificates": [
        {"name": c.pdf.name, "token": download_token(c)} for c in Certificate.objects.order_by("pk")
    ],
    "periodic": list(PeriodicRun.objects.values_list("job", "due_at")),
}, default=str))
"""


RECOVER_SCRIPT = """
import time
from academy.core.delivery import recover_abandoned_redis_jobs
print(recover_abandoned_redis_jobs(at=time.time() + 120))
"""

PERIODIC_TASKS_SCRIPT = """
import json
from academy.core.scheduler import periodic_jobs
print(json.dumps(sorted(enqueue.__self__.module_path for enqueue in periodic_jobs().values())))
"""

SWEEP_SCRIPT = """
import datetime
from django.utils import timezone
from academy.core.delivery import retry_due_emails
print(retry_due_emails(now=timezone.now() + datetime.timedelta(seconds=120)))
"""


def manage(env: dict, *args: str, timeout: int = 300) -> str:
    """Run ``manage.py`` with ``env``; return its standard output (fail the test on error)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args, *(["--no-imports"] if args[0] == "shell" else [])],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def shell(env: dict, script: str):
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


class Process:
    """A child process (own process group) logging to ``log``, stopped on exit whatever happened."""

    def __init__(self, command: list[str], env: dict, log: Path, port: int | None = None):
        self.command, self.env, self.log, self.port = command, env, log, port

    def __enter__(self):
        self._log = open(self.log, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            self.command, cwd=BASE_DIR, env=self.env, stdout=self._log, stderr=self._log, start_new_session=True
        )
        if self.port is not None:
            wait_for(lambda: self._listening(), "port %d open" % self.port, self)
        return self

    def _listening(self) -> bool:
        import socket

        assert self.process.poll() is None, self.log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def kill_group(self, sig=signal.SIGKILL) -> None:
        """Send ``sig`` to the process, its children first (RQ runs each job in a child process
        that leaves the process group) and its process group."""
        subprocess.run(["pkill", "-%d" % sig, "-P", str(self.process.pid)], check=False)
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def __exit__(self, *exc):
        self.kill_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill_group(signal.SIGKILL)
            self.process.wait(timeout=15)
        self._log.close()


def wait_for(predicate, what: str, process: Process | None = None, timeout: float = TIMEOUT, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    log = process.log.read_text()[-3000:] if process else ""
    raise AssertionError("timed out waiting for %s\n%s" % (what, log))


def request(port: int, method: str, path: str, body: str = "", headers: dict | None = None, source="127.0.0.1"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT, source_address=(source, 0))
    try:
        connection.request(method, path, body=body.encode() if body else None, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def book_through_both_nodes(session_pk: int, per_node: int = PEOPLE_PER_NODE, first: int = 0) -> list:
    """``per_node`` people on each node load the booking form, then all post at the same moment."""
    path = "/enrolment/sessions/%d/" % session_pk
    people = [(PORT_A if n % 2 else PORT_B, n) for n in range(first, first + 2 * per_node)]
    barrier = threading.Barrier(len(people))
    statuses: dict = {}

    def person(port: int, n: int) -> None:
        source = "127.0.1.%d" % (n + 10)
        try:
            status, headers, html = request(port, "GET", path, source=source)
            assert status == 200, status
            cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.decode()).group(1)
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
            barrier.wait(timeout=TIMEOUT)
            statuses[n], _, _ = request(
                port,
                "POST",
                path,
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "csrftoken=%s" % cookie,
                    "Referer": "http://127.0.0.1:%d%s" % (port, path),
                },
                source=source,
            )
        except Exception as exc:  # recorded, asserted by the test
            statuses[n] = repr(exc)
            barrier.abort()

    threads = [threading.Thread(target=person, args=person_args) for person_args in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return [statuses.get(n) for _, n in people]


def mail_messages(var_dirs: list[Path]) -> list[str]:
    """Every message the nodes' e-mail backends wrote (file backend: one file per connection)."""
    messages = []
    for var_dir in var_dirs:
        for path in sorted((var_dir / "mail").glob("*.log")):
            messages += [m for m in path.read_text(errors="replace").split("-" * 79) if "Message-ID:" in m]
    return messages


@pytest.fixture
def nodes_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail("the multi-node test runs on PostgreSQL: set DATABASE_URL=postgres://…")
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = "%s_nodes" % parts.path.strip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        admin.execute('CREATE DATABASE "%s"' % name)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


@pytest.fixture
def empty_redis():
    import redis

    for url in (REDIS_QUEUE_URL, REDIS_CACHE_URL):
        redis.Redis.from_url(url).flushdb()
    yield
    for url in (REDIS_QUEUE_URL, REDIS_CACHE_URL):
        redis.Redis.from_url(url).flushdb()


def node_env(tmp_path: Path, node: str, database_url: str, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ACADEMY_", "EMAIL_", "AWS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "academy.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECRET_KEY": secret,
            "DJANGO_LOG_LEVEL": "WARNING",
            "ACADEMY_VAR_DIR": str(tmp_path / node),
            "ACADEMY_STATIC_ROOT": str(tmp_path / "static"),
            "ACADEMY_TASK_BACKEND": "redis",
            "ACADEMY_TASK_REDIS_URL": REDIS_QUEUE_URL,
            "REDIS_URL": REDIS_CACHE_URL,
            "ACADEMY_STORAGE": "s3",
            "ACADEMY_S3_BUCKET": BUCKET,
            "ACADEMY_S3_ENDPOINT_URL": "http://127.0.0.1:%d" % S3_PORT,
            "ACADEMY_S3_REGION": "eu-west-3",
            "ACADEMY_S3_ACCESS_KEY_ID": "academy",
            "ACADEMY_S3_SECRET_ACCESS_KEY": "academy-secret",
            "ACADEMY_PERIODIC_SECONDS": "3600",
            # A worker's job counts as abandoned soon after its worker stops beating.
            "ACADEMY_STALE_TASK_SECONDS": "60",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def test_two_nodes_share_bookings_certificates_mail_and_periodic_work(tmp_path, nodes_database, empty_redis):
    secret = "multinode-" + uuid.uuid4().hex
    env_a = node_env(tmp_path, "node-a", nodes_database, secret)
    env_b = node_env(tmp_path, "node-b", nodes_database, secret)
    var_dirs = [Path(env_a["ACADEMY_VAR_DIR"]), Path(env_b["ACADEMY_VAR_DIR"])]
    python = sys.executable
    gunicorn = str(Path(python).with_name("gunicorn"))

    # The S3-compatible server and its private bucket.
    with Process(
        [str(Path(python).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(S3_PORT)],
        env_a,
        tmp_path / "s3.log",
        port=S3_PORT,
    ):
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=env_a["ACADEMY_S3_ENDPOINT_URL"],
            region_name="eu-west-3",
            aws_access_key_id="academy",
            aws_secret_access_key="academy-secret",
        )
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})

        # Deployment steps, once: migrate, collect static files, load the catalogue and the data.
        manage(env_a, "migrate", "--noinput")
        manage(env_a, "collectstatic", "--noinput")
        manage(env_a, "import_catalogue")
        ids = shell(env_a, SETUP_SCRIPT)
        import psycopg

        database = psycopg.connect(nodes_database, autocommit=True)

        def emails_sent() -> bool:
            """Polled directly in PostgreSQL (cheaper than a Django shell): every e-mail sent."""
            unsent, total = database.execute(
                "SELECT count(*) FILTER (WHERE status <> 'sent'), count(*) FROM core_outboundemail"
            ).fetchone()
            return total > 0 and unsent == 0

        def progress(batch_id: int):
            return database.execute(
                "SELECT status, done FROM certification_certificatebatch WHERE id = %s", [batch_id]
            ).fetchone()

        gunicorn_args = ["academy.wsgi", "--config", "python:academy.gunicorn_conf", "--workers", "2"]
        with (
            Process(
                [gunicorn, *gunicorn_args, "--bind", "127.0.0.1:%d" % PORT_A], env_a, tmp_path / "web-a.log", PORT_A
            ),
            Process(
                [gunicorn, *gunicorn_args, "--bind", "127.0.0.1:%d" % PORT_B], env_b, tmp_path / "web-b.log", PORT_B
            ),
            Process(
                [python, "manage.py", "run_worker", "--worker-id", "worker-a"], env_a, tmp_path / "worker-a.log"
            ) as worker_a,
            Process(
                [python, "manage.py", "run_worker", "--worker-id", "worker-b"], env_b, tmp_path / "worker-b.log"
            ) as worker_b,
        ):
            # Both nodes healthy, on PostgreSQL, Redis and object storage.
            for port in (PORT_A, PORT_B):
                status, _, body = request(port, "GET", "/healthz")
                health = json.loads(body)
                assert status == 200, health
                assert {name: check["backend"] for name, check in health["checks"].items()} == {
                    "database": "postgresql",
                    "cache": "RedisCache",
                    "queue": "redis",
                    "storage": "s3",
                }
                assert request(port, "GET", "/readyz")[0] == 200
            # Static files: hashed names, compressed, cached for ever (WhiteNoise).
            _, _, page = request(PORT_A, "GET", "/")
            stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.decode()).group(1)
            for port in (PORT_A, PORT_B):
                status, headers, _ = request(port, "GET", stylesheet, headers={"Accept-Encoding": "gzip"})
                assert status == 200 and headers.get("Content-Encoding") == "gzip"
                assert "max-age=315360000" in headers["Cache-Control"]

            def workers_ready() -> bool:
                for worker in (worker_a, worker_b):
                    assert worker.process.poll() is None, worker.log.read_text()[-3000:]
                return all(_worker_ready(name) for name in ("worker-a", "worker-b"))

            wait_for(workers_ready, "both workers listening")

            # Bookings through both nodes at once: never more confirmed than seats.
            statuses = book_through_both_nodes(ids["open"])
            assert statuses == [302] * 2 * PEOPLE_PER_NODE, statuses

            wait_for(emails_sent, "booking e-mails sent")
            state = shell(env_a, STATE_SCRIPT % {"batches": "[]", "open": ids["open"]})
            assert state["confirmed"] == CAPACITY
            assert state["enrolments"] == 2 * PEOPLE_PER_NODE

            # Certificates of two sessions, one batch each, issued by the two workers.
            batches = shell(env_a, BATCH_SCRIPT % ids["past"][:2])

            def batches_done() -> bool:
                return all(progress(batch_id)[0] == "done" for batch_id in batches) and emails_sent()

            wait_for(batches_done, "certificate batches done and e-mailed")
            state = shell(env_a, STATE_SCRIPT % {"batches": batches, "open": ids["open"]})
            assert sorted(n for _, n in state["batches"]) == [3, 3]
            certificates = state["certificates"]
            assert len(certificates) == 6
            workers = _batch_workers()
            assert workers == {"worker-a", "worker-b"}, workers

            # Every certificate stored once in object storage, downloadable through both nodes.
            keys = _stored_certificates(s3)
            assert sorted(keys) == sorted(c["name"] for c in certificates)
            assert len(set(keys)) == len(keys)
            for certificate in certificates:
                stored = s3.get_object(Bucket=BUCKET, Key=certificate["name"])["Body"].read()
                for port in (PORT_A, PORT_B):
                    status, headers, body = request(port, "GET", "/certificates/download/%s/" % certificate["token"])
                    assert status == 200 and headers["Content-Type"] == "application/pdf"
                    assert body == stored and body.startswith(b"%PDF")
            # Private objects: no grant to anyone but the owner.
            for key in keys:
                grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
                assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
                assert "URI" not in grants[0]["Grantee"]

            # Periodic work triggered on both nodes at the same moment: each job enqueued once.
            runs = [
                subprocess.Popen(
                    [python, "manage.py", "run_periodic_work"],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for env in (env_a, env_b)
            ]
            outputs = [run.communicate(timeout=TIMEOUT) for run in runs]
            assert [run.returncode for run in runs] == [0, 0], outputs
            enqueued = [line for out, _ in outputs for line in out.splitlines() if line.startswith("enqueued ")]
            skipped = [line for out, _ in outputs for line in out.splitlines() if line.startswith("skipped ")]
            assert enqueued and len(enqueued) == len(set(enqueued))
            assert len(enqueued) == len(skipped)
            wait_for(_queue_idle, "periodic jobs run")
            periodic_tasks = shell(env_a, PERIODIC_TASKS_SCRIPT)
            assert len(periodic_tasks) == len(enqueued)
            ran = _finished_jobs()
            assert {path: ran.get(path, 0) for path in periodic_tasks} == dict.fromkeys(periodic_tasks, 1)

            # A worker killed in the middle of a certificate batch: the other worker completes it.
            def issued() -> int:
                """Certificates issued so far for the third session (each one commits on its own)."""
                return database.execute(
                    "SELECT count(*) FROM certification_certificate c JOIN enrolment_enrolment e"
                    " ON e.id = c.enrolment_id WHERE e.course_session_id = %s",
                    [ids["past"][2]],
                ).fetchone()[0]

            [batch] = shell(env_a, BATCH_SCRIPT % ids["past"][2:])
            wait_for(lambda: 1 <= issued() <= 3, "the batch under way", every=0.05)
            running_on = _running_worker()
            victim, survivor = (worker_a, worker_b) if running_on == "worker-a" else (worker_b, worker_a)
            victim.kill_group()
            victim.process.wait(timeout=10)
            so_far = issued()
            assert progress(batch)[0] == "running" and so_far < 6
            time.sleep(3)
            assert issued() == so_far  # nothing of the dead worker goes on
            # RQ sees the job abandoned once the dead worker's heartbeat lapses (about 90 s); the
            # sweep is asked as if that time had passed, once the survivor runs nothing.
            try:
                wait_for(_only_abandoned_job_left, "the surviving worker idle", timeout=30)
            except AssertionError:
                raise AssertionError((running_on, progress(batch), _registries())) from None
            before = _registries()
            assert shell(env_b, RECOVER_SCRIPT) == 1, (before, _registries())
            wait_for(lambda: progress(batch) == ("done", 6), "the batch completed by the other worker", survivor)

            # Redis loses its data (restarted without persistence) while bookings are made: no
            # booking is lost, and their e-mails, lost from the queue, are sent after the sweep.
            survivor.kill_group(signal.SIGSTOP)
            statuses = book_through_both_nodes(ids["open"], per_node=1, first=100)
            assert statuses == [302, 302], statuses
            redis.Redis.from_url(REDIS_QUEUE_URL).flushdb()
            survivor.kill_group(signal.SIGCONT)
            state = shell(env_a, STATE_SCRIPT % {"batches": batches, "open": ids["open"]})
            assert state["enrolments"] == 2 * PEOPLE_PER_NODE + 2
            assert ("queued", 0) in {tuple(e) for e in state["emails"]}
            assert shell(env_a, SWEEP_SCRIPT) >= 2

            wait_for(emails_sent, "the e-mails lost with Redis sent", survivor)
            state = shell(env_a, STATE_SCRIPT % {"batches": batches, "open": ids["open"]})

            # Every certificate has its file in the bucket, downloadable through both nodes; the only
            # object that may be left over is the one the killed worker was writing.
            names = {c["name"] for c in state["certificates"]}
            assert len(state["certificates"]) == 12
            keys = set(_stored_certificates(s3))
            assert names <= keys and len(keys - names) <= 1, keys - names
            for certificate in state["certificates"][6:]:
                for port in (PORT_A, PORT_B):
                    status, _, body = request(port, "GET", "/certificates/download/%s/" % certificate["token"])
                    assert status == 200 and body.startswith(b"%PDF")

            # Every e-mail sent exactly once: one delivery attempt each, one message on one node.
            state = shell(env_a, STATE_SCRIPT % {"batches": batches, "open": ids["open"]})
            assert {tuple(e) for e in state["emails"]} == {("sent", 1)}
            assert len(mail_messages(var_dirs)) == len(state["emails"])
            # One claim per job and due time; a job may also claim its own slower rhythm once (the
            # daily snapshot of course pages), never twice.
            jobs = sorted(line.split(" ", 1)[1] for line in enqueued)
            claims = [job for job, _due in state["periodic"]]
            assert sorted(job for job in claims if job in jobs) == jobs
            assert [job for job in claims if job not in jobs] == ["catalog.course_page_snapshots.daily"]

            # Logs are JSON lines in production.
            for log in ("web-a.log", "worker-a.log"):
                for line in (tmp_path / log).read_text().splitlines():
                    if line.startswith("{"):
                        json.loads(line)


def _stored_certificates(s3) -> list[str]:
    """Keys of the certificates of completion in the bucket (other documents live beside them)."""
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix="certificates/")
    return [item["Key"] for item in listing.get("Contents", [])]


def _worker_ready(name: str) -> bool:
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(REDIS_QUEUE_URL)
    return name in {w.name for w in Worker.all(connection=connection)}


def _batch_workers() -> set[str]:
    """Names of the RQ workers that ran the certificate batches."""
    import redis
    from rq import Queue

    queue = Queue("default", connection=redis.Redis.from_url(REDIS_QUEUE_URL))
    workers = set()
    for job in _issuing_jobs(queue.finished_job_registry.get_job_ids(), queue):
        workers |= {result.worker_name for result in job.results()}
    return workers


#: Task functions that issue certificates: the batch itself, or the parts it is shared out into.
ISSUING_TASKS = ("run_certificate_batch", "issue_certificate_part")


def _issuing_jobs(registry_ids, queue) -> list:
    jobs = [queue.fetch_job(job_id) for job_id in registry_ids]
    jobs = [job for job in jobs if job is not None and job.func_name.endswith(ISSUING_TASKS)]
    parts = [job for job in jobs if job.func_name.endswith("issue_certificate_part")]
    return parts or jobs


def _running_worker() -> str:
    """Name of the worker issuing certificates now."""
    from rq import Queue

    queue = Queue("default", connection=redis.Redis.from_url(REDIS_QUEUE_URL))
    for job in _issuing_jobs(queue.started_job_registry.get_job_ids(), queue):
        return job.worker_name
    raise AssertionError("no certificate is being issued")


def _only_abandoned_job_left() -> bool:
    """True when, for a second, nothing waits and only one job (the dead worker's) is marked running.

    (A worker that just took a job from the queue has not yet marked it running.)
    """
    from rq import Queue

    queue = Queue("default", connection=redis.Redis.from_url(REDIS_QUEUE_URL))
    for _ in range(4):
        if queue.count or queue.started_job_registry.count != 1:
            return False
        time.sleep(0.3)
    return True


def _finished_jobs() -> dict[str, int]:
    """How many jobs of each task function the workers finished (kept by RQ for a few minutes)."""
    from collections import Counter

    from rq import Queue

    queue = Queue("default", connection=redis.Redis.from_url(REDIS_QUEUE_URL))
    jobs = (queue.fetch_job(job_id) for job_id in queue.finished_job_registry.get_job_ids())
    return dict(Counter(job.func_name for job in jobs if job is not None))


def _registries() -> dict:
    from rq import Queue

    queue = Queue("default", connection=redis.Redis.from_url(REDIS_QUEUE_URL))
    out = {}
    for label, registry in (("started", queue.started_job_registry), ("failed", queue.failed_job_registry)):
        out[label] = []
        for job_id in registry.get_job_ids():
            job = queue.fetch_job(job_id)
            out[label].append((job_id, job and job.func_name, job and job.worker_name, job and job.get_status()))
    return out


def _queue_idle() -> bool:
    """True once the queue is empty and nothing runs."""
    import redis
    from rq import Queue

    connection = redis.Redis.from_url(REDIS_QUEUE_URL)
    queue = Queue("default", connection=connection)
    return queue.count == 0 and queue.started_job_registry.count == 0
