"""``make run``: the worker is restarted when it dies, PORT is honoured, Ctrl-C stops everything."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> dict[int, str]:
    """Every live process below ``pid``, with its command line."""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = commands.get(child, "")
            todo.append(child)
    return found


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.3)
    raise AssertionError("timed out waiting for %s" % what)


def workers(pid: int) -> list[int]:
    return [p for p, command in descendants(pid).items() if command.split()[1:3] == ["manage.py", "run_worker"]]


def test_make_run_restarts_a_dead_worker_honours_port_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ACADEMY_TASK_BACKEND", "EMAIL_HOST"}}
    env.update(PORT=str(port), ACADEMY_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="academy.settings")
    make = subprocess.Popen(
        ["make", "-s", "-o", "install", "run", "PY=%s" % sys.executable],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: (
                urllib.request.urlopen("http://127.0.0.1:%d/robots.txt" % port, timeout=2).status == 200
                if _listening(port)
                else False
            ),
            240,
            "the web server on PORT",
        )
        [first] = wait_for(lambda: workers(make.pid), 60, "the worker")
        os.kill(first, signal.SIGKILL)
        [second] = wait_for(lambda: [p for p in workers(make.pid) if p != first], 60, "the restarted worker")
        assert second != first

        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        make.wait(timeout=60)
        wait_for(lambda: not descendants(make.pid), 30, "every child to stop")
        assert not _listening(port)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(timeout=30)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0
