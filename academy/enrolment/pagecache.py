"""Enrolments change the seats left that course pages show: invalidate the page on commit."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from academy.scheduling.pagecache import invalidate_session

from .models import Enrolment


def _enrolment_changed(sender, instance: Enrolment, **kwargs) -> None:
    invalidate_session(instance.course_session_id)


def connect() -> None:
    post_save.connect(_enrolment_changed, sender=Enrolment, dispatch_uid="enrolment.pagecache.save")
    post_delete.connect(_enrolment_changed, sender=Enrolment, dispatch_uid="enrolment.pagecache.delete")
