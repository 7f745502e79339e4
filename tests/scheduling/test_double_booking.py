"""A trainer cannot be put on two sessions at once: detected by a scheduling service, refused in
the admin session form, when copying a session to new dates and when copying a day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from academy.scheduling.exceptions import TrainerDoubleBooked
from academy.scheduling.models import CourseSession, SessionSlot
from academy.scheduling.services import copy_course_session, copy_day, ensure_trainers_free, trainer_conflicts
from tests.factories.catalog import CourseFactory
from tests.factories.scheduling import TrainerFactory, paris, session_with_days

from .test_admin import session_form

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 24)


def _busy_trainer(**session_kwargs):
    """A trainer delivering a session on DAY, 09:00–12:30 and 14:00–17:30 Paris."""
    trainer = TrainerFactory(first_name="Tristan", last_name="Occupé")
    other = session_with_days(DAY, **session_kwargs)
    other.trainers.add(trainer)
    return trainer, other


def test_overlapping_half_days_of_another_session_are_a_conflict():
    trainer, other = _busy_trainer()
    conflicts = trainer_conflicts(trainers=[trainer], slots=[(paris(2027, 3, 24, 11), paris(2027, 3, 24, 13))])
    assert [(c.trainer, c.other_slot.course_session) for c in conflicts] == [(trainer, other)]
    with translation.override("en"):
        assert conflicts[0].message() == (
            "Tristan Occupé already delivers %s on 24/03/2027, 09:00–12:30, which overlaps the half-day 11:00–13:00."
            % other
        )


def test_half_days_that_only_touch_or_belong_to_a_cancelled_session_are_no_conflict():
    trainer, _other = _busy_trainer()
    assert trainer_conflicts(trainers=[trainer], slots=[(paris(2027, 3, 24, 12, 30), paris(2027, 3, 24, 14))]) == []
    cancelled_trainer, _cancelled = _busy_trainer(status=CourseSession.Status.CANCELLED)
    assert (
        trainer_conflicts(trainers=[cancelled_trainer], slots=[(paris(2027, 3, 24, 9), paris(2027, 3, 24, 12))]) == []
    )


def test_another_trainer_at_the_same_time_is_no_conflict():
    _busy_trainer()
    free = TrainerFactory()
    assert trainer_conflicts(trainers=[free], slots=[(paris(2027, 3, 24, 9), paris(2027, 3, 24, 12))]) == []


def test_ensure_trainers_free_names_each_overlap():
    trainer, other = _busy_trainer()
    mine = session_with_days(DAY)
    mine.trainers.add(trainer)
    with pytest.raises(TrainerDoubleBooked, match="Tristan Occupé assure déjà") as caught:
        ensure_trainers_free(course_session=mine)
    assert len(caught.value.conflicts) == 2


def test_copying_a_session_onto_a_busy_trainer_is_refused_and_creates_nothing():
    trainer, _other = _busy_trainer()
    source = session_with_days(datetime.date(2027, 3, 19))
    source.trainers.add(trainer)
    with pytest.raises(TrainerDoubleBooked, match="Tristan Occupé assure déjà"):
        copy_course_session(course_session=source, first_day=DAY)
    assert CourseSession.objects.count() == 2


def test_copying_a_day_onto_a_busy_trainer_is_refused_and_adds_nothing():
    trainer, _other = _busy_trainer()
    mine = session_with_days(datetime.date(2027, 3, 19))
    mine.trainers.add(trainer)
    with pytest.raises(TrainerDoubleBooked):
        copy_day(course_session=mine, from_day=datetime.date(2027, 3, 19), to_day=DAY)
    assert mine.slots.count() == 2


def test_admin_refuses_a_session_whose_trainer_is_already_booked(admin_client):
    trainer, other = _busy_trainer()
    data = session_form(CourseFactory(), trainer, **{"slots-0-day": "2027-03-24", "slots-1-day": "2027-03-24"})
    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tristan Occupé assure déjà %s le 24/03/2027, 09:00–12:30" % other in html
    assert CourseSession.objects.count() == 1


def test_admin_refuses_assigning_a_busy_trainer_to_an_existing_session(admin_client):
    trainer, _other = _busy_trainer()
    mine = session_with_days(DAY)
    slots = list(mine.slots.order_by("starts_at"))
    data = session_form(mine.course, trainer)
    data.update(
        {
            "slots-TOTAL_FORMS": "2",
            "slots-INITIAL_FORMS": "2",
            "slots-0-id": slots[0].pk,
            "slots-0-course_session": mine.pk,
            "slots-0-day": "2027-03-24",
            "slots-0-start_time": "09:00",
            "slots-0-end_time": "12:30",
            "slots-1-id": slots[1].pk,
            "slots-1-course_session": mine.pk,
            "slots-1-day": "2027-03-24",
            "slots-1-start_time": "14:00",
            "slots-1-end_time": "17:30",
        }
    )
    response = admin_client.post(reverse("admin:scheduling_coursesession_change", args=[mine.pk]), data)
    assert response.status_code == 200
    assert "Tristan Occupé assure déjà" in response.content.decode()
    assert list(mine.trainers.all()) == []


def test_admin_saves_the_session_when_the_trainer_is_busy_only_on_other_days(admin_client):
    trainer, _other = _busy_trainer()
    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), session_form(CourseFactory(), trainer))
    assert response.status_code == 302
    assert SessionSlot.objects.count() == 4


def test_a_cancelled_session_may_keep_its_trainer_at_a_busy_time(admin_client):
    trainer, _other = _busy_trainer()
    data = session_form(
        CourseFactory(), trainer, status="cancelled", **{"slots-0-day": "2027-03-24", "slots-1-day": "2027-03-24"}
    )
    response = admin_client.post(reverse("admin:scheduling_coursesession_add"), data)
    assert response.status_code == 302
