"""Shared helpers for enrolment tests."""

from __future__ import annotations

import datetime

from academy.enrolment.services import ContactDetails, TraineeDetails, enrol
from tests.factories.scheduling import session_with_days

FUTURE_DAY = datetime.date(2027, 3, 30)


def open_session(**kwargs):
    """An open inter-company session on 2027-03-30 (two half-days, Paris)."""
    return session_with_days(FUTURE_DAY, **kwargs)


def trainee(n: int | str, **kwargs) -> TraineeDetails:
    return TraineeDetails(first_name="Zoë", last_name="Núñez %s" % n, email="trainee%s@exemple.fr" % n, **kwargs)


def contact(email: str = "contact@exemple.fr") -> ContactDetails:
    return ContactDetails(first_name="Camille", last_name="Contact", email=email)


def enrol_people(course_session, *people: TraineeDetails, **kwargs):
    kwargs.setdefault("funding", "employer")
    kwargs.setdefault("organisation_name", "Société Exemple")
    kwargs.setdefault("contact", contact())
    return enrol(course_session=course_session, trainees=list(people), **kwargs)
