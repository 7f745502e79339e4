"""Checks other apps add to a session's capacity, without scheduling knowing who holds a seat.

Scheduling publishes a session's capacity; the app that counts seats (enrolment) registers a
check at start-up, and ``CourseSession.clean()`` asks every registered check before saving.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``check(course_session) -> {field name: message}``; an empty dict when the capacity is fine.
CapacityCheck = Callable[[object], dict[str, str]]

_checks: list[CapacityCheck] = []


def register_capacity_check(check: CapacityCheck) -> None:
    """Add ``check`` to the checks run when a session is validated; registering twice is harmless."""
    if check not in _checks:
        _checks.append(check)


def capacity_errors(course_session) -> dict[str, str]:
    """Errors every registered check finds with the capacity of ``course_session``, by field name."""
    errors: dict[str, str] = {}
    for check in _checks:
        errors.update(check(course_session))
    return errors
