"""Domain errors of the catalogue."""

from __future__ import annotations

from django.utils.translation import gettext as _


class CoursePublicationError(Exception):
    """A course cannot be published: ``missing`` lists the Qualiopi indicator 1 items it lacks."""

    def __init__(self, missing: list[str]):
        self.missing = list(missing)
        super().__init__(_("Cannot publish: missing %(items)s.") % {"items": ", ".join(self.missing)})
