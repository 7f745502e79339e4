"""One entry point for periodic work (reminders, follow-ups, retention, figure refresh).

Apps register a job from their ``AppConfig.ready()``; ``manage.py run_periodic_work`` (run by cron
or a timer in production, by ``make run`` every few minutes locally) enqueues each job as a
background task. Jobs must be idempotent: they may run late, twice, or on another machine.
"""

from __future__ import annotations

from collections.abc import Callable

_jobs: dict[str, Callable[[], object]] = {}


def register_periodic(name: str, enqueue: Callable[[], object]) -> None:
    """Register ``enqueue`` (typically ``some_task.enqueue``) under ``name``; re-registering replaces."""
    _jobs[name] = enqueue


def periodic_jobs() -> dict[str, Callable[[], object]]:
    """Return a copy of the registered jobs, by name."""
    return dict(_jobs)
