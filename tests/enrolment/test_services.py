import datetime

import pytest
from django.utils import timezone, translation

from academy.core.models import OutboundEmail
from academy.enrolment.exceptions import (
    AlreadyCancelled,
    AlreadyEnrolled,
    AlreadySubmitted,
    DuplicateTrainee,
    NotEnoughSeats,
    OfferExpired,
    OfferNotAvailable,
    SessionNotOpen,
)
from academy.enrolment.models import Enrolment
from academy.enrolment.seats import seats_left
from academy.enrolment.services import (
    TraineeDetails,
    accept_offer,
    cancel_enrolment,
    expire_offers,
    plan_seats,
)
from academy.enrolment.signals import enrolment_cancelled, enrolment_confirmed
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import session_with_days

from .helpers import contact, enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in the source language here; translated pages are tested in test_views."""
    with translation.override("en"):
        yield


def statuses(course_session):
    return list(course_session.enrolments.order_by("pk").values_list("status", flat=True))


def test_enrolling_within_capacity_confirms_every_trainee():
    course_session = open_session(capacity_seats=3)
    booking = enrol_people(course_session, trainee(1), trainee(2))

    assert [e.status for e in booking.enrolments.order_by("pk")] == ["confirmed", "confirmed"]
    assert seats_left(course_session) == 1


def test_fc01_group_of_three_on_two_seats_left_confirms_two_and_waitlists_one_when_asked():
    course_session = open_session(capacity_seats=10)
    for _n in range(8):
        EnrolmentFactory(booking__course_session=course_session)

    booking = enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy="waitlist_rest")

    assert [e.status for e in booking.enrolments.order_by("pk")] == ["confirmed", "confirmed", "waiting"]
    assert course_session.enrolments.filter(status="confirmed").count() == 10


def test_fc01_group_of_three_on_two_seats_left_all_waits_when_asked():
    course_session = open_session(capacity_seats=10)
    for _n in range(8):
        EnrolmentFactory(booking__course_session=course_session)

    booking = enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy="all_or_nothing")

    assert [e.status for e in booking.enrolments.all()] == ["waiting"] * 3
    assert seats_left(course_session) == 2


def test_fc01_group_of_three_on_two_seats_left_is_refused_whole_when_asked():
    course_session = open_session(capacity_seats=10)
    for _n in range(8):
        EnrolmentFactory(booking__course_session=course_session)

    with pytest.raises(NotEnoughSeats, match="Only 2 seats are left for a group of 3"):
        enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy="refuse")
    assert course_session.enrolments.count() == 8
    assert course_session.bookings.count() == 8


def test_a_full_session_is_marked_full_and_reopens_when_a_seat_frees_up():
    course_session = open_session(capacity_seats=1)
    booking = enrol_people(course_session, trainee(1))
    course_session.refresh_from_db()
    assert course_session.status == "full"

    cancel_enrolment(enrolment=booking.enrolments.get(), by=None)

    course_session.refresh_from_db()
    assert course_session.status == "open"


def test_newcomers_never_pass_people_already_waiting():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    # A seat frees up and is offered to trainee 2; a newcomer then waits behind.
    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None)
    booking = enrol_people(course_session, trainee(3))

    assert booking.enrolments.get().status == "waiting"
    assert course_session.enrolments.get(email="trainee2@exemple.fr").status == "offered"


def test_fc01_an_all_or_nothing_group_is_never_offered_seats_one_by_one():
    course_session = open_session(capacity_seats=10)
    for _n in range(8):
        EnrolmentFactory(booking__course_session=course_session)
    group = enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy="all_or_nothing")

    single = enrol_people(course_session, trainee(9), contact=contact("single@exemple.fr"))

    assert [e.status for e in group.enrolments.order_by("pk")] == ["waiting"] * 3
    assert single.enrolments.get().status == "confirmed"


def test_fc01_an_all_or_nothing_group_is_offered_its_seats_together_once_they_all_fit():
    course_session = open_session(capacity_seats=10)
    for _n in range(8):
        EnrolmentFactory(booking__course_session=course_session)
    group = enrol_people(course_session, trainee(1), trainee(2), trainee(3), overflow_policy="all_or_nothing")

    cancel_enrolment(enrolment=course_session.enrolments.filter(status="confirmed").first(), by=None)

    assert [e.status for e in group.enrolments.order_by("pk")] == ["offered"] * 3
    assert seats_left(course_session) == 0


def test_fc02_the_same_person_with_another_case_and_spaces_is_recognised_and_nothing_is_duplicated():
    course_session = open_session()
    enrol_people(course_session, TraineeDetails("Zoe", "Nunez", "zoe.nunez@exemple.fr"))

    with pytest.raises(AlreadyEnrolled, match="zoe.nunez@exemple.fr is already enrolled on this session"):
        enrol_people(course_session, TraineeDetails("Zoe", "Nunez", " Zoe.Nunez@Exemple.FR "))
    assert course_session.enrolments.count() == 1
    assert course_session.bookings.count() == 1


def test_fc02_the_database_refuses_a_second_live_enrolment_of_the_same_normalised_email():
    from django.db import IntegrityError, transaction

    first = EnrolmentFactory(email="zoe.nunez@exemple.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(booking=first.booking, email=" Zoe.Nunez@Exemple.FR ")


def test_fc02_a_cancelled_person_may_enrol_again():
    course_session = open_session()
    booking = enrol_people(course_session, trainee(1))
    cancel_enrolment(enrolment=booking.enrolments.get(), by=None)

    again = enrol_people(course_session, trainee(1))

    assert again.enrolments.get().status == "confirmed"


def test_the_same_person_twice_in_one_form_is_refused():
    with pytest.raises(DuplicateTrainee, match="twice"):
        enrol_people(open_session(), trainee(1), TraineeDetails("A", "B", "TRAINEE1@exemple.fr"))


def test_a_resubmitted_form_returns_the_first_booking_and_enrols_nobody_twice():
    import uuid

    course_session = open_session()
    key = uuid.uuid4()
    first = enrol_people(course_session, trainee(1), submission_key=key)

    with pytest.raises(AlreadySubmitted, match="already sent") as caught:
        enrol_people(course_session, trainee(1), submission_key=key)
    assert caught.value.booking == first
    assert course_session.enrolments.count() == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"status": "draft"}, "does not take enrolments"),
        ({"status": "closed"}, "does not take enrolments"),
        ({"enrolment_deadline": datetime.date(2026, 1, 1)}, "deadline"),
    ],
)
def test_enrolling_on_a_session_not_open_is_refused(kwargs, message):
    with pytest.raises(SessionNotOpen, match=message):
        enrol_people(open_session(**kwargs), trainee(1))


def test_enrolling_on_a_started_session_is_refused():
    course_session = session_with_days(datetime.date(2026, 3, 30))
    with pytest.raises(SessionNotOpen, match="already started"):
        enrol_people(course_session, trainee(1))


def test_cancelling_frees_exactly_one_seat_and_offers_it_to_the_first_waiting():
    course_session = open_session(capacity_seats=2)
    enrol_people(course_session, trainee(1), trainee(2))
    enrol_people(course_session, trainee(3))
    enrol_people(course_session, trainee(4))

    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None, reason="Malade")

    by_email = dict(course_session.enrolments.values_list("email", "status"))
    assert by_email == {
        "trainee1@exemple.fr": "cancelled",
        "trainee2@exemple.fr": "confirmed",
        "trainee3@exemple.fr": "offered",
        "trainee4@exemple.fr": "waiting",
    }
    assert seats_left(course_session) == 0


def test_cancelling_a_waiting_entry_frees_no_seat():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    enrol_people(course_session, trainee(3))

    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee2@exemple.fr"), by=None)

    assert course_session.enrolments.get(email="trainee3@exemple.fr").status == "waiting"


def test_cancelling_twice_is_refused():
    course_session = open_session()
    enrolment = enrol_people(course_session, trainee(1)).enrolments.get()
    cancel_enrolment(enrolment=enrolment, by=None)

    with pytest.raises(AlreadyCancelled, match="already cancelled"):
        cancel_enrolment(enrolment=enrolment, by=None)


def test_promotion_skips_and_cleans_entries_confirmed_on_another_session_of_the_course():
    course_session = open_session(capacity_seats=1)
    other = session_with_days(datetime.date(2027, 4, 6), course=course_session.course)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    enrol_people(course_session, trainee(3))
    enrol_people(other, trainee(2))

    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None)

    skipped = course_session.enrolments.get(email="trainee2@exemple.fr")
    assert skipped.status == "cancelled"
    assert "another session" in skipped.cancellation_reason
    assert course_session.enrolments.get(email="trainee3@exemple.fr").status == "offered"


def test_a_promoted_person_gets_an_email_with_a_deadline_to_confirm(django_capture_on_commit_callbacks, settings):
    settings.ENROLMENT_OFFER_HOURS = 48
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    before = timezone.now()

    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None)

    offered = course_session.enrolments.get(email="trainee2@exemple.fr")
    assert (
        before + datetime.timedelta(hours=47)
        < offered.offer_expires_at
        <= timezone.now() + datetime.timedelta(hours=48)
    )
    mail = OutboundEmail.objects.get(category="enrolment.seat_offered")
    assert "trainee2@exemple.fr" in mail.to
    assert "/enrolment/offers/" in mail.body_text


def test_accepting_an_offer_confirms_the_seat_and_sends_the_ics():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None)
    offered = course_session.enrolments.get(email="trainee2@exemple.fr")

    accepted = accept_offer(enrolment=offered)

    assert accepted.status == "confirmed"
    [mail] = [m for m in OutboundEmail.objects.filter(category="enrolment.confirmed") if "trainee2@exemple.fr" in m.to]
    assert mail.attachments[0]["filename"].endswith(".ics")


def test_accepting_an_expired_offer_is_refused():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    enrol_people(course_session, trainee(2))
    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None)
    offered = course_session.enrolments.get(email="trainee2@exemple.fr")
    Enrolment.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(OfferExpired, match="deadline"):
        accept_offer(enrolment=offered)


def test_accepting_without_an_offer_is_refused():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1))
    waiting = enrol_people(course_session, trainee(2)).enrolments.get()

    with pytest.raises(OfferNotAvailable, match="No seat is offered"):
        accept_offer(enrolment=waiting)


def test_expired_offers_are_cancelled_and_the_seat_goes_to_the_next_in_line():
    course_session = open_session(capacity_seats=1)
    for n in (1, 2, 3):
        enrol_people(course_session, trainee(n))
    cancel_enrolment(enrolment=course_session.enrolments.get(email="trainee1@exemple.fr"), by=None)
    Enrolment.objects.filter(email="trainee2@exemple.fr").update(
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert expire_offers() == 1
    assert expire_offers() == 0  # idempotent

    by_email = dict(course_session.enrolments.values_list("email", "status"))
    assert by_email["trainee2@exemple.fr"] == "cancelled"
    assert by_email["trainee3@exemple.fr"] == "offered"


def test_signals_are_sent_after_commit(django_capture_on_commit_callbacks):
    received = []

    def on_confirmed(sender, enrolment, **kwargs):
        received.append(("confirmed", enrolment.email))

    def on_cancelled(sender, enrolment, **kwargs):
        received.append(("cancelled", enrolment.email))

    enrolment_confirmed.connect(on_confirmed)
    enrolment_cancelled.connect(on_cancelled)
    try:
        course_session = open_session()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            booking = enrol_people(course_session, trainee(1))
        assert received == []
        for callback in callbacks:
            callback()
        assert ("confirmed", "trainee1@exemple.fr") in received
        with django_capture_on_commit_callbacks(execute=True):
            cancel_enrolment(enrolment=booking.enrolments.get(), by=None)
        assert ("cancelled", "trainee1@exemple.fr") in received
    finally:
        enrolment_confirmed.disconnect(on_confirmed)
        enrolment_cancelled.disconnect(on_cancelled)


def test_booking_queues_emails_for_contact_trainees_referent_and_staff():
    TrainingOrganisationFactory(email="staff@academie.exemple")
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1, accessibility_needs="Fauteuil roulant"), trainee(2))

    categories = sorted(OutboundEmail.objects.values_list("category", flat=True))
    assert categories == sorted(
        [
            "enrolment.booking_received",
            "enrolment.confirmed",
            "enrolment.waiting",
            "enrolment.accessibility_needs",
            "enrolment.staff_new_booking",
        ]
    )
    referent = OutboundEmail.objects.get(category="enrolment.accessibility_needs")
    assert referent.to == ["accessibilite@academie.exemple"]
    assert "Fauteuil roulant" in referent.body_text
    contact_mail = OutboundEmail.objects.get(category="enrolment.booking_received")
    assert "Fauteuil roulant" not in contact_mail.body_text


@pytest.mark.parametrize(
    "seats_left, requested, policy, expected",
    [
        (5, 3, "refuse", (3, 0)),
        (2, 3, "waitlist_rest", (2, 1)),
        (2, 3, "all_or_nothing", (0, 3)),
        (0, 2, "waitlist_rest", (0, 2)),
    ],
)
def test_plan_seats_says_beforehand_what_happens_to_a_group(seats_left, requested, policy, expected):
    plan = plan_seats(seats_left=seats_left, requested=requested, overflow_policy=policy)
    assert (plan.confirmed, plan.waiting) == expected
