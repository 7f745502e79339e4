"""Roles and who may see what (least privilege), for every app's views.

Five roles, held as Django groups (created by ``manage.py setup_roles`` and after each migrate):

- staff administrator — everything, including people's rights, the audit log and roles;
- staff planner — catalogue, sessions, enrolments, attendance, evaluation, certificates;
- trainer — their own sessions only (``Trainer.user``);
- client contact — their own organisation's trainees, sessions and documents
  (``ClientContact``, or a signed link);
- trainee — their own enrolments, answers and certificates (matched by e-mail, or a signed link).

Predicates take duck-typed objects (no import of higher apps): a course session has
``trainers``, ``client_organisation_id`` and ``enrolments``; an enrolment has ``course_session``,
``booking.client_organisation_id`` and ``email_normalised``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from academy.core.text import normalise_email

STAFF_ADMIN = "staff_administrator"
STAFF_PLANNER = "staff_planner"
TRAINER = "trainer"
CLIENT_CONTACT = "client_contact"
TRAINEE = "trainee"

ROLE_LABELS = {
    STAFF_ADMIN: _("Staff administrator"),
    STAFF_PLANNER: _("Staff planner"),
    TRAINER: _("Trainer"),
    CLIENT_CONTACT: _("Client organisation contact"),
    TRAINEE: _("Trainee"),
}
ROLES = list(ROLE_LABELS)


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_academy_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._academy_groups = cached
    return cached


def is_staff_admin(user) -> bool:
    """True for an active superuser, or a staff user in the "staff administrator" group."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or (user.is_staff and STAFF_ADMIN in _groups(user))


def is_staff_planner(user) -> bool:
    """True for a staff user in the "staff planner" group (administrators are not planners)."""
    return bool(getattr(user, "is_staff", False)) and STAFF_PLANNER in _groups(user)


def is_staff_member(user) -> bool:
    """True for a staff administrator or planner: the back-office roles."""
    return is_staff_admin(user) or is_staff_planner(user)


def trainer_of(user):
    """Return the Trainer linked to ``user``, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.trainer
    except Exception:  # RelatedObjectDoesNotExist, or the scheduling app absent
        return None


def is_trainer(user) -> bool:
    return trainer_of(user) is not None


def client_organisation_id_of(user) -> int | None:
    """Return the id of the client organisation ``user`` acts for, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.client_contact.client_organisation_id
    except Exception:  # RelatedObjectDoesNotExist
        return None


def is_client_contact(user) -> bool:
    return client_organisation_id_of(user) is not None


def trainee_email_of(user) -> str:
    """Return the normalised e-mail a trainee account is matched by ("" when not a trainee)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if TRAINEE not in _groups(user):
        return ""
    return normalise_email(user.email)


def is_trainee(user) -> bool:
    return bool(trainee_email_of(user))


def user_roles(user) -> list[str]:
    """Return every role ``user`` holds, in ``ROLES`` order."""
    checks = {
        STAFF_ADMIN: is_staff_admin,
        STAFF_PLANNER: is_staff_planner,
        TRAINER: is_trainer,
        CLIENT_CONTACT: is_client_contact,
        TRAINEE: is_trainee,
    }
    return [role for role in ROLES if checks[role](user)]


def can_view_session(user, course_session) -> bool:
    """True when ``user`` may see ``course_session`` and its people.

    Staff: every session. Trainer: sessions they deliver. Client contact: sessions run for their
    organisation, or where their organisation has enrolled someone. Trainee: sessions they hold a
    live enrolment on.
    """
    if is_staff_member(user):
        return True
    trainer = trainer_of(user)
    if trainer is not None and course_session.trainers.filter(pk=trainer.pk).exists():
        return True
    organisation_id = client_organisation_id_of(user)
    if organisation_id is not None and (
        course_session.client_organisation_id == organisation_id
        or course_session.enrolments.filter(booking__client_organisation_id=organisation_id).exists()
    ):
        return True
    email = trainee_email_of(user)
    if email and course_session.enrolments.filter(email_normalised=email).exclude(status="cancelled").exists():
        return True
    return False


def can_manage_session(user, course_session) -> bool:
    """True when ``user`` may change a session's running data (attendance, documents): staff, or its trainer."""
    if is_staff_member(user):
        return True
    trainer = trainer_of(user)
    return trainer is not None and course_session.trainers.filter(pk=trainer.pk).exists()


def can_view_enrolment(user, enrolment) -> bool:
    """True when ``user`` may see ``enrolment`` (and its answers, attendance, certificate).

    Staff; the session's trainer; the contact of the organisation that booked it; the trainee.
    """
    if is_staff_member(user):
        return True
    trainer = trainer_of(user)
    if trainer is not None and enrolment.course_session.trainers.filter(pk=trainer.pk).exists():
        return True
    organisation_id = client_organisation_id_of(user)
    if organisation_id is not None and enrolment.booking.client_organisation_id == organisation_id:
        return True
    email = trainee_email_of(user)
    return bool(email) and enrolment.email_normalised == email


def can_view_client_organisation(user, client_organisation) -> bool:
    """True for staff and for the organisation's own contacts."""
    return is_staff_member(user) or client_organisation_id_of(user) == client_organisation.pk


_ROLE_CHECKS: dict[str, Callable] = {
    STAFF_ADMIN: is_staff_admin,
    STAFF_PLANNER: is_staff_member,
    TRAINER: is_trainer,
    CLIENT_CONTACT: is_client_contact,
    TRAINEE: is_trainee,
}


def role_required(*roles: str):
    """Decorate a view so that only users holding one of ``roles`` reach it.

    Anonymous visitors are sent to the log-in page; signed-in users without the role get 403.
    ``STAFF_PLANNER`` admits administrators too. Unknown role names raise ValueError at import.
    """
    unknown = set(roles) - set(_ROLE_CHECKS)
    if unknown or not roles:
        raise ValueError("Unknown roles: %s" % ", ".join(sorted(unknown)) if unknown else "No role given")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not any(_ROLE_CHECKS[role](user) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(STAFF_PLANNER)
staff_admin_required = role_required(STAFF_ADMIN)
