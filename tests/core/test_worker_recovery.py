"""A real worker killed in the middle of a delivery: after recovery the task and its e-mail complete, once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 2

QUEUE = """
from django.db import transaction
from academy.core.notifications import notify
with transaction.atomic():
    message = notify(
        event="attendance.signing_link",
        to=[("Ñúñez-Łukasiewicz, Zoë", "zoe@exemple.fr")],
        context={"name": "Zoë", "course": "Communs", "date": "30/03/2027", "start": "09:00", "end": "12:30", "url": "https://x.fr"},
    )
print(message.pk)
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from academy.core.models import OutboundEmail
message = OutboundEmail.objects.get()
print(json.dumps({
    "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
    "email": message.status,
    "attempts": message.attempts,
}))
"""


@pytest.fixture
def worker_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ACADEMY_TASK_BACKEND", "EMAIL_HOST", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.core.worker_settings",
        ACADEMY_VAR_DIR=str(tmp_path / "var"),
        ACADEMY_STALE_TASK_SECONDS=str(STALE_SECONDS),
        ACADEMY_TEST_STALL_MARKER=str(tmp_path / "delivery-started"),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args, timeout=300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def state(env) -> dict:
    return json.loads(manage(env, "shell", "-c", STATE).strip().splitlines()[-1])


def test_a_delivery_cut_short_by_a_killed_worker_completes_after_recovery_and_is_sent_once(worker_env, tmp_path):
    manage(worker_env, "migrate", "--noinput", timeout=600)
    manage(worker_env, "shell", "-c", QUEUE)
    assert state(worker_env) == {"tasks": ["READY"], "email": "queued", "attempts": 0}

    stalling = {**worker_env, "ACADEMY_TEST_STALL_SECONDS": "120"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=stalling,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not Path(stalling["ACADEMY_TEST_STALL_MARKER"]).exists():
            assert worker.poll() is None, "the worker stopped before delivering"
            assert time.monotonic() < deadline, "the worker never started the delivery"
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)

    # Killed mid-delivery: without recovery the task would stay running and the e-mail unsent forever.
    assert state(worker_env) == {"tasks": ["RUNNING"], "email": "sending", "attempts": 1}
    assert not (tmp_path / "var" / "mail").exists() or not list((tmp_path / "var" / "mail").iterdir())

    time.sleep(STALE_SECONDS + 1)
    out = manage(worker_env, "run_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert "recovered 1 interrupted task(s)" in out

    after = state(worker_env)
    # The re-queued task and the delivery queued for the stale message both ran; only one sent.
    assert set(after.pop("tasks")) == {"SUCCESSFUL"}
    assert after == {"email": "sent", "attempts": 2}
    [delivered] = list((tmp_path / "var" / "mail").iterdir())
    assert "zoe@exemple.fr" in delivered.read_text()
