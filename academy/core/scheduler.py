"""One entry point for periodic work (reminders, follow-ups, retention, figure refresh).

Apps register a job from their ``AppConfig.ready()``; ``manage.py run_periodic_work`` (run by a
timer or cron on every node in production, by ``make run`` every few minutes locally) enqueues
each job as a background task. Time is cut into due times every ``ACADEMY_PERIODIC_SECONDS``
(default 300 s); a job is enqueued at most once per due time across all nodes, by whichever node
first inserts its claim (unique constraint on job and due time, ``PeriodicRun``). No node keeps
an in-process timer. Jobs must still be idempotent: they may run late, or after a crash, again.
"""

from __future__ import annotations

import datetime
import socket
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

_jobs: dict[str, Callable[[], object]] = {}


def register_periodic(name: str, enqueue: Callable[[], object]) -> None:
    """Register ``enqueue`` (typically ``some_task.enqueue``) under ``name``; re-registering replaces."""
    _jobs[name] = enqueue


def periodic_jobs() -> dict[str, Callable[[], object]]:
    """Return a copy of the registered jobs, by name."""
    return dict(_jobs)


def period_seconds() -> int:
    """Seconds between two due times (setting ``ACADEMY_PERIODIC_SECONDS``, at least 1)."""
    return max(1, int(getattr(settings, "ACADEMY_PERIODIC_SECONDS", 300)))


def due_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """The latest due time at or before ``now``: whole multiples of ``period_seconds()`` since the epoch, UTC."""
    now = now or timezone.now()
    seconds = period_seconds()
    stamp = int(now.timestamp()) // seconds * seconds
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def claim(name: str, due_at: datetime.datetime) -> bool:
    """Claim job ``name`` for ``due_at``; True for the one caller (on any node) that got it first."""
    from .models import PeriodicRun

    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=name, due_at=due_at, node=socket.gethostname()[:200])
    except IntegrityError:
        return False
    return True
