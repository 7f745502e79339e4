"""Domain errors of the evaluation app; views turn them into messages."""

from __future__ import annotations


class EvaluationError(Exception):
    """Base class: ``str(exc)`` is a message fit for the user."""


class InvalidAnswers(EvaluationError):
    """One or more answers are missing or outside their scale; ``errors`` maps question id to message."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors
        super().__init__("; ".join(str(m) for m in errors.values()))


class WindowNotOpen(EvaluationError):
    """The questionnaire does not accept answers yet."""


class WindowClosed(EvaluationError):
    """The answer period is over: a late answer is refused, nothing stored changes."""


class NotEligible(EvaluationError):
    """The enrolment cannot answer (cancelled, waiting list…)."""
