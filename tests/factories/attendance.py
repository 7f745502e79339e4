import datetime

import factory

from academy.attendance.models import Attendance, Signature

from .enrolment import EnrolmentFactory
from .scheduling import SessionSlotFactory, TrainerFactory

#: A small valid drawing: one zig-zag stroke on a 300×120 canvas.
DRAWING = {"width": 300, "height": 120, "strokes": [[[10, 60], [40, 20], [70, 100], [100, 30], [130, 90], [160, 50]]]}


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    slot = factory.SubFactory(SessionSlotFactory)
    enrolment = factory.SubFactory(
        EnrolmentFactory, booking__course_session=factory.SelfAttribute("...slot.course_session")
    )
    status = Attendance.Status.PRESENT


class TraineeSignatureFactory(factory.django.DjangoModelFactory):
    """A trainee's signature stored directly (tests of the signing rules go through the services)."""

    class Meta:
        model = Signature

    slot = factory.SubFactory(SessionSlotFactory)
    enrolment = factory.SubFactory(
        EnrolmentFactory, booking__course_session=factory.SelfAttribute("...slot.course_session")
    )
    role = Signature.Role.TRAINEE
    strokes = factory.LazyFunction(lambda: dict(DRAWING))
    method = Signature.Method.QR_CODE
    signed_at = factory.LazyAttribute(lambda o: o.slot.starts_at + datetime.timedelta(minutes=5))
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (test)"


class TrainerSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    slot = factory.SubFactory(SessionSlotFactory)
    trainer = factory.SubFactory(TrainerFactory)
    role = Signature.Role.TRAINER
    strokes = factory.LazyFunction(lambda: dict(DRAWING))
    method = Signature.Method.TRAINER
    signed_at = factory.LazyAttribute(lambda o: o.slot.ends_at - datetime.timedelta(minutes=5))
    ip_address = "192.0.2.20"
    user_agent = "Mozilla/5.0 (test)"


def sign_slot(slot, enrolment, trainer):
    """Record both signatures of ``slot`` for ``enrolment`` (the trainer's only once per slot)."""
    TraineeSignatureFactory(slot=slot, enrolment=enrolment)
    if not Signature.objects.filter(slot=slot, trainer=trainer, role=Signature.Role.TRAINER).exists():
        TrainerSignatureFactory(slot=slot, trainer=trainer)
