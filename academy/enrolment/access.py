"""Who may see an enrolment: the enrolment's rules, built on ``academy.accounts.access``."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from academy.accounts import access
from academy.scheduling.access import is_trainer_of

from .models import Enrolment


def enrolments_of_client_contact(user) -> QuerySet[Enrolment]:
    """Enrolments a client contact may see: those their organisation booked, or on a session run for it.

    Empty for anyone who is not a client contact (staff included: they have their own pages).
    """
    organisation_id = access.client_organisation_id_of(user)
    if organisation_id is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        Q(booking__client_organisation_id=organisation_id) | Q(course_session__client_organisation_id=organisation_id)
    )


def enrolments_of_trainee(user) -> QuerySet[Enrolment]:
    """A trainee account's own enrolments: those made with its e-mail address (normalised).

    Empty for anyone who is not in the trainee group: nobody sees other people's enrolments here.
    """
    email = access.trainee_email_of(user)
    if not email:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(email_normalised=email)


def can_view_enrolment(user, enrolment: Enrolment) -> bool:
    """True when ``user`` may see ``enrolment`` (and its answers, attendance, certificate).

    Staff; the session's trainer; the contact of the organisation that booked it; the trainee.
    """
    if access.is_staff_member(user) or is_trainer_of(user, enrolment.course_session):
        return True
    if access.is_contact_of(user, enrolment.booking.client_organisation_id):
        return True
    email = access.trainee_email_of(user)
    return bool(email) and enrolment.email_normalised == email


def can_view_session_as_enrolled(user, course_session) -> bool:
    """True when ``user`` is the contact of an organisation that enrolled someone on ``course_session``,
    or a trainee holding a live (not cancelled) enrolment on it. Registered with scheduling's
    ``can_view_session`` at app start.
    """
    organisation_id = access.client_organisation_id_of(user)
    enrolments = Enrolment.objects.filter(course_session=course_session)
    if organisation_id is not None and enrolments.filter(booking__client_organisation_id=organisation_id).exists():
        return True
    email = access.trainee_email_of(user)
    return bool(email) and enrolments.filter(email_normalised=email).exclude(status=Enrolment.Status.CANCELLED).exists()
