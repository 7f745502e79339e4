"""Template context of the accounts app: what the signed-in person's roles open, for menus and links."""

from __future__ import annotations

from django.utils.functional import cached_property

from . import access


class AccessContext:
    """Role answers for templates, computed on first use (no query for pages that never ask)."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def back_office(self) -> bool:
        """True for planners and administrators (``is_staff`` alone is not enough)."""
        return access.is_staff_member(self._user)

    @cached_property
    def administrator(self) -> bool:
        return access.is_staff_admin(self._user)


def roles(request) -> dict:
    """Add ``access`` (an ``AccessContext``) so templates show links by role, never by ``is_staff``."""
    return {"access": AccessContext(getattr(request, "user", None))}
