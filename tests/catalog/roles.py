"""Who may open a stored course page snapshot (merged into the project's role matrix by the accounts tests).

The public catalogue pages are classified in the project's matrix; a snapshot of a course page is
evidence kept for staff: planners and administrators open it from the back office, nobody else.
"""

from __future__ import annotations

from tests.accounts.role_matrix import STAFF, Rule


def _snapshot(world) -> dict:
    from django.utils import timezone

    from academy.catalog.models import CoursePageSnapshot

    snapshot = CoursePageSnapshot.objects.create(
        course=world.course, language="fr", html="<p>page</p>", sha256="0" * 64, taken_at=timezone.now()
    )
    return {"snapshot_id": snapshot.pk}


MATRIX = {
    "admin:catalog_coursepagesnapshot_page": Rule(STAFF, kwargs=_snapshot),
}
