"""Building blocks for attendance and certificate tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.factories.core import ClientOrganisationFactory, TrainingOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import CourseSessionFactory, SessionSlotFactory, TrainerFactory, add_day


def two_day_session(first_day=datetime.date(2026, 3, 27), second_day=datetime.date(2026, 3, 30), **course):
    """A two-day session (four half-days of 3.5 h, Paris time) with one trainer; FC-03 dates by default."""
    TrainingOrganisationFactory()
    session = CourseSessionFactory(**({"course__%s" % k: v for k, v in course.items()}))
    trainer = TrainerFactory()
    session.trainers.add(trainer)
    slots = add_day(session, first_day) + add_day(session, second_day)
    return session, trainer, slots


def trainee(session, first_name="Zoë", last_name="Ñúñez-Łukasiewicz", **kwargs):
    """A confirmed enrolment on ``session`` employed by a client organisation."""
    return EnrolmentFactory(
        booking__course_session=session,
        booking__client_organisation=ClientOrganisationFactory(name="Société Générale d'Électricité"),
        first_name=first_name,
        last_name=last_name,
        **kwargs,
    )


def session_happening_now(course=None, minutes_before=30, minutes_after=180):
    """A session with one trainer and one slot running now (started ``minutes_before`` ago)."""
    TrainingOrganisationFactory()
    kwargs = {"course": course} if course is not None else {}
    session = CourseSessionFactory(**kwargs)
    trainer = TrainerFactory()
    session.trainers.add(trainer)
    now = timezone.now().replace(second=0, microsecond=0)
    slot = SessionSlotFactory(
        course_session=session,
        starts_at=now - datetime.timedelta(minutes=minutes_before),
        ends_at=now + datetime.timedelta(minutes=minutes_after),
        content="Les communs numériques",
    )
    return session, trainer, slot
