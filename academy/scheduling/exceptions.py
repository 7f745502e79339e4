"""Domain errors of scheduling, turned into messages by views, forms and the admin."""


class SchedulingError(Exception):
    """Base class of scheduling errors; ``str(exc)`` is a translated message for the user."""


class NoSlotsToCopy(SchedulingError):
    """The session (or the day) to copy has no half-day slot."""


class TrainerDoubleBooked(SchedulingError):
    """A trainer would deliver two sessions at once; ``conflicts`` lists each overlap."""

    def __init__(self, message: str, *, conflicts=()):
        super().__init__(message)
        self.conflicts = list(conflicts)


class LocalTimeInvalid(SchedulingError):
    """A wall-clock time that does not exist (clocks go forward) or occurs twice (clocks go back)."""
