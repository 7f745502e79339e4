"""Domain errors of enrolment. ``str(exc)`` is a message for the user, in the active language."""

from __future__ import annotations


class EnrolmentError(Exception):
    """Base class: the enrolment, cancellation or offer cannot be done."""


class SessionNotOpen(EnrolmentError):
    """The session does not take enrolments (draft, closed, cancelled, started, past deadline)."""


class AlreadyEnrolled(EnrolmentError):
    """One or more of the trainees already holds a live enrolment on this session (FC-02)."""

    def __init__(self, message: str, *, emails: list[str]):
        super().__init__(message)
        self.emails = emails


class DuplicateTrainee(EnrolmentError):
    """The same person appears twice in one form."""

    def __init__(self, message: str, *, emails: list[str]):
        super().__init__(message)
        self.emails = emails


class AlreadySubmitted(EnrolmentError):
    """The same form was submitted before; ``booking`` is the booking it created."""

    def __init__(self, message: str, *, booking):
        super().__init__(message)
        self.booking = booking


class NotEnoughSeats(EnrolmentError):
    """The group is larger than the seats left and the contact asked for all or nobody."""

    def __init__(self, message: str, *, seats_left: int, requested: int):
        super().__init__(message)
        self.seats_left = seats_left
        self.requested = requested


class AlreadyCancelled(EnrolmentError):
    """The enrolment was already cancelled."""


class OfferNotAvailable(EnrolmentError):
    """No seat is offered to this enrolment (never offered, already answered, or expired)."""


class OfferExpired(OfferNotAvailable):
    """The deadline to accept the offered seat has passed."""
