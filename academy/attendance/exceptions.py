"""Domain errors of the attendance app; their message is shown to the user as is."""

from __future__ import annotations


class AttendanceError(Exception):
    """An attendance change was refused (bad times, trainee not on the session…)."""


class SigningRefused(AttendanceError):
    """A signature or a scan was refused; ``code`` names the reason for the audit log.

    Codes: ``outside_slot``, ``expired_code``, ``forged_code``, ``already_signed``,
    ``someone_else``, ``not_enrolled``, ``not_trainer``, ``bad_drawing``, ``unknown_trainee``.
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code
