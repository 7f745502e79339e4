import json

import pytest

from academy.enrolment.personal_data import PROVIDER
from academy.enrolment.seats import seats_left
from academy.privacy.registry import providers

from .helpers import contact, enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


def test_the_provider_is_discovered_by_the_privacy_registry():
    assert PROVIDER in providers()


def test_export_returns_the_persons_enrolments_and_bookings_as_json():
    course_session = open_session()
    enrol_people(course_session, trainee(1, accessibility_needs="Rampe"), contact=contact("Trainee1@Exemple.fr"))

    data = PROVIDER.export("trainee1@exemple.fr")

    json.dumps(data)
    assert data["enrolments"][0]["accessibility_needs"] == "Rampe"
    assert data["bookings_as_contact"][0]["email"] == "Trainee1@Exemple.fr"


def test_export_of_an_unknown_person_is_empty():
    assert PROVIDER.export("nobody@exemple.fr") == {}


def test_erasure_anonymises_enrolments_and_bookings_and_keeps_counts():
    course_session = open_session(capacity_seats=1)
    enrol_people(course_session, trainee(1, accessibility_needs="Rampe"), contact=contact("trainee1@exemple.fr"))
    enrol_people(course_session, trainee(2))

    changed = PROVIDER.erase("trainee1@exemple.fr")

    assert changed == 2
    assert PROVIDER.export("trainee1@exemple.fr") == {}
    erased = course_session.enrolments.order_by("pk").first()
    assert erased.status == "confirmed"
    assert (erased.first_name, erased.accessibility_needs) == ("—", "")
    assert "trainee1" not in erased.email
    assert seats_left(course_session) == 0
    assert course_session.enrolments.count() == 2
    assert course_session.enrolments.get(email="trainee2@exemple.fr").status == "waiting"
