"""Who may see or run a course session: the session's rules, built on ``academy.accounts.access``.

Pages about one session look it up through ``sessions_run_by(user)``, so an unknown session and
a session the user does not run answer the same 404: the answer never tells whether it exists.
"""

from __future__ import annotations

from functools import wraps

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from academy.accounts import access
from academy.accounts.access import require_sign_in

from .models import CourseSession, SessionSlot


def sessions_run_by(user) -> QuerySet[CourseSession]:
    """Sessions ``user`` may run (attendance, opening, reports): every one for staff, a trainer's own, else none."""
    sessions = CourseSession.objects.all()
    if access.is_staff_member(user):
        return sessions
    trainer = access.trainer_of(user)
    if trainer is None:
        return sessions.none()
    return sessions.filter(trainers=trainer)


def is_trainer_of(user, course_session: CourseSession) -> bool:
    """True when ``user`` is one of the trainers delivering ``course_session``."""
    trainer = access.trainer_of(user)
    return trainer is not None and course_session.trainers.filter(pk=trainer.pk).exists()


def can_manage_session(user, course_session: CourseSession) -> bool:
    """True when ``user`` may change a session's running data (attendance, documents): staff, or its trainer."""
    return access.is_staff_member(user) or is_trainer_of(user, course_session)


#: ``rule(user, course_session) -> bool``: other ways to see a session, registered by the apps that
#: know them (enrolment: the trainee's live enrolment, the contact's organisation's bookings).
_viewer_rules: list = []


def register_session_viewer_rule(rule) -> None:
    """Add ``rule(user, course_session) -> bool`` to ``can_view_session``; registering twice is harmless."""
    if rule not in _viewer_rules:
        _viewer_rules.append(rule)


def can_view_session(user, course_session: CourseSession) -> bool:
    """True when ``user`` may see ``course_session`` and its people.

    Staff: every session. Trainer: sessions they deliver. Client contact: sessions run for their
    organisation; and whoever a registered rule lets in (enrolment: the organisations that enrolled
    someone, the trainees holding a live enrolment).
    """
    if can_manage_session(user, course_session):
        return True
    organisation_id = access.client_organisation_id_of(user)
    if organisation_id is not None and course_session.client_organisation_id == organisation_id:
        return True
    return any(rule(user, course_session) for rule in _viewer_rules)


def sessions_of_client_contact(user) -> QuerySet[CourseSession]:
    """Sessions run for the contact's organisation or where it enrolled someone (none for anyone else)."""
    organisation_id = access.client_organisation_id_of(user)
    if organisation_id is None:
        return CourseSession.objects.none()
    return CourseSession.objects.filter(
        Q(client_organisation_id=organisation_id) | Q(enrolments__booking__client_organisation_id=organisation_id)
    ).distinct()


def runnable_session_or_404(user, pk) -> CourseSession:
    """Return the session ``pk`` when ``user`` may run it; Http404 when unknown or not theirs."""
    return get_object_or_404(sessions_run_by(user).select_related("course"), pk=pk)


def runnable_slot_or_404(user, pk) -> SessionSlot:
    """Return the half-day ``pk`` when ``user`` may run its session; Http404 when unknown or not theirs."""
    return get_object_or_404(
        SessionSlot.objects.select_related("course_session__course").filter(course_session__in=sessions_run_by(user)),
        pk=pk,
    )


def session_runner_required(kwarg: str = "pk"):
    """Decorate a view of one session: sign-in required, then the session named by ``kwarg``.

    The view receives ``course_session`` instead of the id. Unknown sessions and sessions the user
    does not run both answer 404.
    """

    def decorator(view):
        @require_sign_in
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            course_session = runnable_session_or_404(request.user, kwargs.pop(kwarg))
            return view(request, course_session, *args, **kwargs)

        return wrapped

    return decorator
