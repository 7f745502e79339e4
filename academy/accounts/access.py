"""Who may reach what: the role predicates and the view decorators every app uses (least privilege).

Five roles, held as Django groups (created by ``manage.py setup_roles`` and after each migrate):

- administrator — everything, including people's rights, the audit log and roles;
- planner — catalogue, sessions, enrolments, attendance, evaluation, certificates;
- trainer — their own sessions only (``Trainer.user``);
- client contact — their own organisation's trainees, sessions and documents
  (``ClientContact``, or a signed link);
- trainee — their own enrolments, answers and certificates (matched by e-mail, or a signed link).

``is_staff`` alone grants nothing here: it only opens Django's admin, where each model keeps its
own permissions. A staff account without a role group reaches no product page.

Predicates take duck-typed users and objects (no import of higher apps). Rules about one object
("trainer of this session", "contact of this organisation's enrolment") live in the app that owns
the object, built on these primitives, and answer 404 alike for unknown and foreign objects.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from academy.core import tokens
from academy.core.text import normalise_email


class Role(StrEnum):
    """The roles a person may hold; each value is the name of its Django group."""

    ADMINISTRATOR = "staff_administrator"
    PLANNER = "staff_planner"
    TRAINER = "trainer"
    CLIENT_CONTACT = "client_contact"
    TRAINEE = "trainee"


STAFF_ADMIN = Role.ADMINISTRATOR
STAFF_PLANNER = Role.PLANNER
TRAINER = Role.TRAINER
CLIENT_CONTACT = Role.CLIENT_CONTACT
TRAINEE = Role.TRAINEE

ROLE_LABELS = {
    STAFF_ADMIN: _("Staff administrator"),
    STAFF_PLANNER: _("Staff planner"),
    TRAINER: _("Trainer"),
    CLIENT_CONTACT: _("Client organisation contact"),
    TRAINEE: _("Trainee"),
}
ROLES = list(ROLE_LABELS)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _groups(user) -> set[str]:
    if not _active(user):
        return set()
    cached = getattr(user, "_academy_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._academy_groups = cached
    return cached


def is_staff_admin(user) -> bool:
    """True for an active superuser, or a staff user in the administrator group."""
    if not _active(user):
        return False
    return user.is_superuser or (user.is_staff and STAFF_ADMIN in _groups(user))


def is_staff_planner(user) -> bool:
    """True for an active staff user in the planner group (administrators are not planners)."""
    return _active(user) and user.is_staff and STAFF_PLANNER in _groups(user)


def back_office_users():
    """Queryset of the active users holding a back-office role: superusers, administrators, planners.

    The same rule as ``is_staff_member``, as one query (used for staff notifications).
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    in_role = Q(is_staff=True, groups__name__in=[STAFF_ADMIN, STAFF_PLANNER])
    return get_user_model().objects.filter(Q(is_superuser=True) | in_role, is_active=True).distinct()


def is_staff_member(user) -> bool:
    """True for an administrator or a planner: the back-office roles (never for ``is_staff`` alone)."""
    return is_staff_admin(user) or is_staff_planner(user)


def trainer_of(user):
    """Return the Trainer linked to ``user``, or None."""
    if not _active(user):
        return None
    try:
        return user.trainer
    except Exception:  # RelatedObjectDoesNotExist, or the scheduling app absent
        return None


def is_trainer(user) -> bool:
    """True when ``user`` is linked to a trainer record."""
    return trainer_of(user) is not None


def client_organisation_id_of(user) -> int | None:
    """Return the id of the client organisation ``user`` acts for, or None."""
    if not _active(user):
        return None
    try:
        return user.client_contact.client_organisation_id
    except Exception:  # RelatedObjectDoesNotExist
        return None


def is_client_contact(user) -> bool:
    """True when ``user`` is the contact of a client organisation."""
    return client_organisation_id_of(user) is not None


def is_contact_of(user, client_organisation_id: int | None) -> bool:
    """True when ``user`` is a contact of the client organisation ``client_organisation_id``."""
    return client_organisation_id is not None and client_organisation_id_of(user) == client_organisation_id


def trainee_email_of(user) -> str:
    """Return the normalised e-mail a trainee account is matched by ("" when not a trainee)."""
    if TRAINEE not in _groups(user):
        return ""
    return normalise_email(user.email)


def is_trainee(user) -> bool:
    """True for an account in the trainee group."""
    return bool(trainee_email_of(user))


def signed_link_payload(purpose: str, token: str, *, max_age=None) -> Any | None:
    """Return what a signed link carries when ``token`` is genuine, unexpired and made for ``purpose``.

    The holder of such a link (an enrolment's cancel, offer or booking link, an answer or download
    link) is trusted for that one object without an account. Returns None for a forged, expired or
    foreign token, so callers answer it like an unknown object.
    """
    try:
        return tokens.read_token(purpose, token, max_age=max_age)
    except tokens.InvalidToken:
        return None


_ROLE_CHECKS: dict[str, Callable] = {
    STAFF_ADMIN: is_staff_admin,
    # A planner's pages are open to administrators too.
    STAFF_PLANNER: is_staff_member,
    TRAINER: is_trainer,
    CLIENT_CONTACT: is_client_contact,
    TRAINEE: is_trainee,
}


def has_role(user, role: str) -> bool:
    """True when ``user`` holds ``role`` (``Role.PLANNER`` admits administrators too).

    Raises ValueError for an unknown role name.
    """
    try:
        return _ROLE_CHECKS[role](user)
    except KeyError:
        raise ValueError("Unknown roles: %s" % role) from None


def user_roles(user) -> list[str]:
    """Return every role ``user`` holds, in ``ROLES`` order (an administrator is not also a planner)."""
    checks = {**_ROLE_CHECKS, STAFF_PLANNER: is_staff_planner}
    return [role for role in ROLES if checks[role](user)]


def can_view_client_organisation(user, client_organisation) -> bool:
    """True for back-office staff and for the organisation's own contacts."""
    return is_staff_member(user) or is_contact_of(user, client_organisation.pk)


def require_role(*roles: str, login_url: str | None = None):
    """Decorate a view so that only users holding one of ``roles`` reach it.

    Anonymous visitors are sent to the log-in page (``login_url``, the site's by default);
    signed-in users without the role get 403 (the page is the same for everyone, so refusing says
    nothing about any object). ``Role.PLANNER`` admits administrators too. Unknown role names
    raise ValueError at import.
    """
    unknown = set(roles) - set(_ROLE_CHECKS)
    if unknown or not roles:
        raise ValueError("Unknown roles: %s" % ", ".join(sorted(unknown)) if unknown else "No role given")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if user.is_authenticated and any(_ROLE_CHECKS[role](user) for role in roles):
                return view(request, *args, **kwargs)
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url or settings.LOGIN_URL)
            raise PermissionDenied

        return wrapped

    return decorator


def require_sign_in(view):
    """Decorate a view open to every signed-in account; anonymous visitors go to the log-in page.

    The view itself narrows what it shows to the user's own objects.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapped


class RoleRequiredMixin:
    """Class-based-view twin of ``require_role``: set ``required_roles = (Role.PLANNER,)``."""

    required_roles: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, **initkwargs):
        return require_role(*cls.required_roles)(super().as_view(**initkwargs))


def back_office_required(view):
    """Decorate a back-office page: planners and administrators only.

    Visitors without a staff account are sent to the back-office log-in (where staff sign in, with
    their second factor); a staff account without the role gets 403, like any signed-in user
    refused by ``require_role``.
    """
    guarded = require_role(Role.PLANNER, login_url="admin:login")(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (_active(request.user) and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), "admin:login")
        return guarded(request, *args, **kwargs)

    return wrapped


role_required = require_role
staff_required = require_role(Role.PLANNER)
staff_admin_required = require_role(Role.ADMINISTRATOR)
