"""One honeypot behaviour for every public form: the robot is thanked, nothing is stored or sent."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse

from academy.catalog.forms import LeadForm
from academy.catalog.models import Lead
from academy.core.honeypot import HONEYPOT_FIELD, HoneypotField, honeypot
from academy.core.models import OutboundEmail
from academy.enrolment.forms import EnrolmentForm
from academy.enrolment.models import Booking
from tests.enrolment.helpers import open_session
from tests.factories.catalog import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_counts():
    cache.clear()
    yield
    cache.clear()


def test_a_caught_post_gets_the_accepted_answer_and_the_view_never_runs(rf):
    calls = []

    @honeypot(lambda request: HttpResponse("merci", status=202))
    def view(request):
        calls.append(request)
        return HttpResponse("stored")

    caught = view(rf.post("/", {HONEYPOT_FIELD: "http://spam.example"}))
    person = view(rf.post("/", {HONEYPOT_FIELD: ""}))
    assert (caught.status_code, caught.content) == (202, b"merci")
    assert person.content == b"stored" and len(calls) == 1


def test_every_public_form_declares_the_same_trap_field():
    assert isinstance(LeadForm(kind=Lead.Kind.CONTACT).fields[HONEYPOT_FIELD], HoneypotField)
    assert isinstance(EnrolmentForm().fields[HONEYPOT_FIELD], HoneypotField)
    widget = EnrolmentForm().fields[HONEYPOT_FIELD].widget
    assert widget.attrs == {"autocomplete": "off", "tabindex": "-1"}


def test_the_contact_form_thanks_a_robot_and_keeps_nothing(client):
    response = client.post(
        reverse("catalog:contact"),
        {"first_name": "A", "last_name": "B", "email": "a@b.fr", "message": "Bonjour", HONEYPOT_FIELD: "x"},
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    assert "Merci, votre demande a bien été reçue" in response.content.decode()
    assert not Lead.objects.exists() and not OutboundEmail.objects.exists()


def test_a_course_request_caught_by_the_honeypot_looks_like_the_real_one(client):
    course = CourseFactory()
    values = {"first_name": "A", "last_name": "B", "email": "a@b.fr", "message": "Bonjour"}
    url = reverse("catalog:interest_signal", kwargs={"code": course.code})
    robot = client.post(url, {**values, HONEYPOT_FIELD: "x"})
    person = client.post(url, values)
    assert robot.status_code == person.status_code == 302
    assert robot["Location"] == person["Location"]
    assert Lead.objects.count() == 1


def test_the_enrolment_form_thanks_a_robot_and_keeps_nothing(client):
    course_session = open_session()
    response = client.post(
        reverse("enrolment:enrol", kwargs={"pk": course_session.pk}), {HONEYPOT_FIELD: "x"}, follow=True
    )
    assert "Merci, votre demande d’inscription a bien été reçue." in response.content.decode()
    assert not Booking.objects.exists() and not OutboundEmail.objects.exists()
