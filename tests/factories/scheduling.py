import datetime
from zoneinfo import ZoneInfo

import factory

from academy.scheduling.models import CourseSession, SessionSlot, Trainer

from .catalog import CourseFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(year, month, day, hour, minute=0) -> datetime.datetime:
    """An aware datetime given in Paris local time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    first_name = "Tristan"
    last_name = factory.Sequence(lambda n: "Formateur%d" % n)
    email = factory.Sequence(lambda n: "formateur%d@academie.exemple" % n)


class CourseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    venue_address = "12, rue de la Paix; bâtiment B, 75002 Paris"
    capacity_seats = 12
    price_excl_vat = "950.00"
    status = CourseSession.Status.OPEN


class SessionSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSlot

    course_session = factory.SubFactory(CourseSessionFactory)
    starts_at = factory.LazyFunction(lambda: paris(2027, 3, 30, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3, minutes=30))


def add_day(course_session: CourseSession, day: datetime.date) -> list[SessionSlot]:
    """Add the two half-day slots 09:00–12:30 and 14:00–17:30 (Paris time) on ``day``."""
    return [
        SessionSlotFactory(
            course_session=course_session,
            starts_at=paris(day.year, day.month, day.day, 9),
            ends_at=paris(day.year, day.month, day.day, 12, 30),
        ),
        SessionSlotFactory(
            course_session=course_session,
            starts_at=paris(day.year, day.month, day.day, 14),
            ends_at=paris(day.year, day.month, day.day, 17, 30),
        ),
    ]


def session_with_days(*days: datetime.date, **kwargs) -> CourseSession:
    """A session (open, inter-company unless told) with the two usual half-days on each of ``days``."""
    course_session = CourseSessionFactory(**kwargs)
    for day in days:
        add_day(course_session, day)
    return course_session
