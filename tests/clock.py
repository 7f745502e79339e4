"""A test clock: set the time that ``django.utils.timezone.now()`` returns, then restore it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone


class Clock:
    """Sets the current time seen by ``timezone.now()``; ``back_to_now`` undoes only itself."""

    def __init__(self):
        self.monkeypatch = pytest.MonkeyPatch()

    def at(self, moment: datetime.datetime) -> None:
        self.monkeypatch.setattr(timezone, "now", lambda: moment)

    def back_to_now(self) -> None:
        self.monkeypatch.undo()


#: One clock for helpers that sign "at" a moment; ``restore_clock`` (autouse where used) resets it.
CLOCK = Clock()


@pytest.fixture
def restore_clock():
    """Undo any ``CLOCK.at`` after the test."""
    yield CLOCK
    CLOCK.back_to_now()
