import datetime

import pytest

from academy.enrolment.models import Enrolment
from tests.factories.enrolment import EnrolmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 15, 9, 30, tzinfo=datetime.UTC)


def test_offering_a_seat_sets_the_deadline_and_saves_it():
    enrolment = EnrolmentFactory(status=Enrolment.Status.WAITING, confirmed_at=None)
    expires_at = NOW + datetime.timedelta(hours=48)

    enrolment.offer(now=NOW, expires_at=expires_at)

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.offer_expires_at) == (Enrolment.Status.OFFERED, expires_at)


def test_confirming_an_offer_stamps_the_confirmation_and_uses_up_the_offer():
    enrolment = EnrolmentFactory(status=Enrolment.Status.OFFERED, confirmed_at=None, offer_expires_at=NOW)

    enrolment.confirm(now=NOW)

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.confirmed_at, enrolment.offer_expires_at) == (
        Enrolment.Status.CONFIRMED,
        NOW,
        None,
    )


def test_cancelling_stamps_the_time_keeps_the_trimmed_reason_and_lets_an_offer_lapse():
    enrolment = EnrolmentFactory(status=Enrolment.Status.OFFERED, offer_expires_at=NOW)

    enrolment.cancel(now=NOW, reason="  Formateur malade \n")

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.cancelled_at == NOW
    assert enrolment.cancellation_reason == "Formateur malade"
    assert enrolment.offer_expires_at is None
    assert not enrolment.holds_seat
