"""Benchmark: issue the certificates of one session of N trainees with background workers.

Creates, in a fresh PostgreSQL database (``BENCH_DATABASE_URL``), a two-day session (four
half-days) with N trainees who signed every half-day, queues its certificate batch, starts W
background workers (``manage.py run_worker``) and times the batch until every certificate is
issued (PDF/A with QR code, stored, e-mail queued). Each worker loads fonts and templates once.

Usage: .venv/bin/python bench/certificates.py [--trainees 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_DATABASE_URL, _recreate_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="academy-bench-certificates-")
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "academy.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "ACADEMY_VAR_DIR": var_dir,
            "ACADEMY_MEDIA_ROOT": str(Path(var_dir) / "media"),
            "ACADEMY_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "PYTHONPATH": str(ROOT),
        }
    )
    print("creating a session of %d trainees who signed every half-day…" % args.trainees, flush=True)
    _recreate_database(args.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections, transaction

    from academy.certification.models import CertificateBatch
    from academy.certification.services import start_certificate_batch
    from tests.attendance.helpers import trainee, two_day_session
    from tests.factories.attendance import sign_slot

    session, trainer, slots = two_day_session(title="Les communs numériques")
    for n in range(args.trainees):
        enrolment = trainee(session, first_name="Stagiaire", last_name="N°%d" % n)
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    with transaction.atomic():
        batch = start_certificate_batch(course_session=session)
    connections.close_all()

    print("issuing with %d background workers…" % args.workers, flush=True)
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(args.workers)
    ]
    try:
        while True:
            time.sleep(1)
            batch.refresh_from_db()
            if batch.status == CertificateBatch.Status.DONE:
                break
            print("  %d / %d after %.0f s" % (batch.done + batch.skipped, batch.total, time.perf_counter() - started))
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    elapsed = time.perf_counter() - started
    print(
        "%d certificates issued (%d skipped) in %.1f s with %d workers: %.2f s each"
        % (batch.done, batch.skipped, elapsed, args.workers, elapsed / max(batch.done, 1))
    )


if __name__ == "__main__":
    main()
