"""The offer link: once the seat is accepted, "decline" no longer cancels it."""

import pytest
from django.urls import reverse

from academy.enrolment.exceptions import OfferNotAvailable
from academy.enrolment.links import offer_token
from academy.enrolment.models import Enrolment
from academy.enrolment.services import accept_offer, cancel_enrolment, decline_offer

from .helpers import enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered():
    """Anh is offered the seat Zoë freed on a one-seat session."""
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee("zoe"))
    enrol_people(course_session, trainee("anh"))
    cancel_enrolment(enrolment=course_session.enrolments.get(email="traineezoe@exemple.fr"), by=None)
    enrolment = course_session.enrolments.get(email="traineeanh@exemple.fr")
    assert enrolment.status == "offered"
    return enrolment


def test_offer_decline_after_accept_is_refused(client, offered):
    url = reverse("enrolment:offer", kwargs={"token": offer_token(offered)})
    assert client.post(url).status_code == 200

    response = client.post(url, {"decline": "1"})

    assert response.status_code == 409
    assert "Vous avez déjà accepté cette place" in response.content.decode()
    assert Enrolment.objects.get(pk=offered.pk).status == "confirmed"


def test_declining_an_accepted_offer_is_refused_by_the_service_with_a_message(offered):
    accept_offer(enrolment=offered)

    with pytest.raises(OfferNotAvailable, match="déjà accepté cette place"):
        decline_offer(enrolment=offered)
    assert Enrolment.objects.get(pk=offered.pk).status == "confirmed"


def test_declining_an_open_offer_cancels_it(client, offered):
    response = client.post(reverse("enrolment:offer", kwargs={"token": offer_token(offered)}), {"decline": "1"})

    assert response.status_code == 200
    assert Enrolment.objects.get(pk=offered.pk).status == "cancelled"


def test_declining_an_offer_already_declined_is_refused(offered):
    decline_offer(enrolment=offered)

    with pytest.raises(OfferNotAvailable, match="Aucune place n’est proposée"):
        decline_offer(enrolment=offered)


def test_after_accepting_the_heading_says_the_seat_is_confirmed(client, offered):
    url = reverse("enrolment:offer", kwargs={"token": offer_token(offered)})
    before = client.get(url).content.decode()
    assert "<h1>Une place est libre pour vous</h1>" in before

    after = client.post(url).content.decode()

    assert "<h1>Votre place est confirmée</h1>" in after
    assert "Une place est libre pour vous" not in after


def test_the_group_booking_page_shows_a_cancelled_trainee(client):
    from academy.enrolment.links import booking_token

    course_session = open_session()
    booking = enrol_people(course_session, trainee("zoe"), trainee("anh"))
    booking = getattr(booking, "booking", booking)
    cancel_enrolment(enrolment=course_session.enrolments.get(email="traineezoe@exemple.fr"), by=None)

    page = client.get(reverse("enrolment:booking", kwargs={"token": booking_token(booking)})).content.decode()

    assert "1 inscription annulée" in page
    assert "Zoë Núñez zoe" in page and "traineezoe@exemple.fr" in page
    assert "1 place confirmée" in page
