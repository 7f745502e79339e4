"""``manage.py run_local``: the whole product on one machine for ``make run``.

Starts Django's development server, one background worker and the periodic work as child
processes, restarts the worker whenever it dies, and stops every child on Ctrl-C (SIGINT) or
SIGTERM — first politely, then by force after ``STOP_GRACE_SECONDS``. Production runs these as
separate services (README, "Configuration").
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

#: Seconds between two runs of the periodic work (reminders, joining instructions, retention…).
PERIODIC_SECONDS = 300
#: Seconds before a dead worker is started again (so a worker that cannot start does not spin).
RESTART_DELAY_SECONDS = 2
#: Seconds the children get to stop after SIGTERM before they are killed.
STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Serve the site, run a supervised background worker and the periodic work (for make run)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", help="address and port of the web server, e.g. 127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        self._stopping = False
        self._children: list[subprocess.Popen] = []
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            server = self._start("runserver", "--noreload", addrport)
            worker = self._start("run_worker", "--queue-name", "default", "--no-reload")
            periodic = self._start("run_periodic_work", quiet=True)
            next_periodic = time.monotonic() + PERIODIC_SECONDS
            while not self._stopping:
                if server.poll() is not None:
                    if self._stopping:  # Ctrl-C reached the server too
                        break
                    raise CommandError("The web server stopped (exit status %s)." % server.returncode)
                if worker.poll() is not None and not self._stopping:
                    self.stderr.write(
                        "Background worker stopped (exit status %s); starting it again in %d s."
                        % (worker.returncode, RESTART_DELAY_SECONDS)
                    )
                    time.sleep(RESTART_DELAY_SECONDS)
                    if self._stopping:
                        break
                    worker = self._start("run_worker", "--queue-name", "default", "--no-reload")
                periodic_done = periodic.poll() is not None  # reaps it as soon as it ends (no zombie)
                if periodic_done:
                    self._children = [child for child in self._children if child.returncode is None]
                if time.monotonic() >= next_periodic and periodic_done:
                    periodic = self._start("run_periodic_work", quiet=True)
                    next_periodic = time.monotonic() + PERIODIC_SECONDS
                time.sleep(0.5)
        finally:
            self._stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _start(self, command: str, *arguments: str, quiet: bool = False) -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "manage.py", command, *arguments],
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL if quiet else None,
        )
        self._children.append(child)
        return child

    def _stop(self, signum, frame) -> None:
        self._stopping = True

    def _stop_children(self) -> None:
        running = [child for child in self._children if child.poll() is None]
        for child in running:
            child.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in running:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
