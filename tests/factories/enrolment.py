import factory
from django.utils import timezone

from academy.enrolment.models import Booking, Enrolment

from .scheduling import CourseSessionFactory


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    course_session = factory.SubFactory(CourseSessionFactory)
    contact_first_name = "Zoë"
    contact_last_name = "Núñez"
    contact_email = factory.Sequence(lambda n: "contact%d@exemple.fr" % n)
    funding = Booking.Funding.EMPLOYER
    terms_accepted_at = factory.LazyFunction(timezone.now)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A confirmed enrolment. Tests of capacity go through the enrolment services, not this factory."""

    class Meta:
        model = Enrolment

    booking = factory.SubFactory(BookingFactory)
    course_session = factory.SelfAttribute("booking.course_session")
    first_name = "Nguyễn"
    last_name = factory.Sequence(lambda n: "Thị Ánh %d" % n)
    email = factory.Sequence(lambda n: "stagiaire%d@exemple.fr" % n)
    status = Enrolment.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
