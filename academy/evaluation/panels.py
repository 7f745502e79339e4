"""The course page's "what participants say" block (slot "figures")."""

from __future__ import annotations

from .services import organisation_timezone, public_figure


def course_figures_context(request, course) -> dict | None:
    """Context of the public satisfaction figure of ``course``, or None to hide it.

    Reads one aggregate over the per-day rows (see ``DailySatisfaction``): the query count does
    not depend on the number of answers.
    """
    figure = public_figure(course=course, tz=organisation_timezone(request))
    if figure is None:
        return None
    return {"figure": figure}
