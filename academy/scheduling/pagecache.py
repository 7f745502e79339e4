"""Sessions and their slots change what cached catalogue pages show: invalidate them on commit."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from academy.catalog.pagecache import course_scope, invalidate_catalogue
from academy.core.pagecache import invalidate

from .models import CourseSession, SessionSlot


def invalidate_session(session_id: int | None) -> None:
    """Render again, after commit, the page of the course of session ``session_id`` (seats left)."""
    if session_id is None:
        return
    code = CourseSession.objects.filter(pk=session_id).values_list("course__code", flat=True).first()
    if code:
        invalidate(course_scope(code))


def _session_changed(sender, instance: CourseSession, **kwargs) -> None:
    # Sessions show on their course page, and as next-session dates on the listing and in the
    # "other courses" block of the pages of the same domain.
    invalidate_catalogue()


def _slot_changed(sender, instance: SessionSlot, **kwargs) -> None:
    invalidate_catalogue()


def connect() -> None:
    post_save.connect(_session_changed, sender=CourseSession, dispatch_uid="scheduling.pagecache.session.save")
    post_delete.connect(_session_changed, sender=CourseSession, dispatch_uid="scheduling.pagecache.session.delete")
    post_save.connect(_slot_changed, sender=SessionSlot, dispatch_uid="scheduling.pagecache.slot.save")
    post_delete.connect(_slot_changed, sender=SessionSlot, dispatch_uid="scheduling.pagecache.slot.delete")
