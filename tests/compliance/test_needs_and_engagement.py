"""Needs analysis shown to the trainer, adaptations, absences detected from attendance, drop-outs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from academy.attendance.engagement import close_follow_up, detect_absences
from academy.attendance.models import AbsenceFollowUp
from academy.core.models import OutboundEmail
from academy.enrolment.exceptions import EnrolmentError
from academy.enrolment.services.quality import record_adaptation, record_dropout
from tests.attendance.helpers import trainee, two_day_session
from tests.english_messages import _english_messages  # noqa: E402, F401 (autouse fixture)
from tests.factories.attendance import sign_slot
from tests.factories.privacy import staff_planner, trainer_user

from .quality_world import complete_session

pytestmark = pytest.mark.django_db


def test_the_trainer_reads_the_needs_and_decided_adaptations_but_not_the_accessibility_words(seed_course):
    world = complete_session(seed_course)
    user = trainer_user()
    world.course_session.trainers.add(user.trainer)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("attendance:session", args=[world.course_session.pk])).content.decode()
    assert "Cheffe de projet numérique dans une collectivité" in page
    assert "Savoir monter un projet de commun" in page
    assert "Supports envoyés 3 jours avant" in page
    assert "Malentendante" not in page


def test_absences_are_detected_from_countersigned_half_days_once_and_the_trainee_is_written_to():
    session, trainer, slots = two_day_session()
    present, absent = trainee(session), trainee(session, first_name="Léon", last_name="Martin", email="leon@exemple.fr")
    for slot in slots[:2]:
        sign_slot(slot, present, trainer)
    sign_slot(slots[2], present, trainer)
    created = detect_absences(course_session=session)
    assert sorted((f.enrolment_id, f.slot_id) for f in created) == sorted((absent.pk, slot.pk) for slot in slots[:3])
    assert OutboundEmail.objects.filter(to=["leon@exemple.fr"]).count() == 3
    assert detect_absences(course_session=session) == []
    assert AbsenceFollowUp.objects.count() == 3
    close_follow_up(follow_up=created[0], outcome="Appel passé")
    assert AbsenceFollowUp.objects.filter(message_sent_at__isnull=False).count() == 3


def test_a_drop_out_needs_a_known_reason_and_a_confirmed_trainee():
    session, _trainer, _slots = two_day_session()
    enrolment = trainee(session)
    with pytest.raises(EnrolmentError, match="reason"):
        record_dropout(enrolment=enrolment, reason="bored")
    enrolment = record_dropout(enrolment=enrolment, reason="health", detail="Arrêt maladie")
    assert enrolment.dropped_out_at is not None and enrolment.get_dropout_reason_display() == "Health"


def test_an_adaptation_records_who_decided_and_when():
    session, _trainer, _slots = two_day_session()
    staff = staff_planner()
    adaptation = record_adaptation(enrolment=trainee(session), requested="Fauteuil roulant", by=staff)
    assert not adaptation.is_decided and adaptation.decided_by is None
    adaptation = record_adaptation(
        enrolment=adaptation.enrolment,
        requested="Fauteuil roulant",
        decision="Salle au rez-de-chaussée",
        by=staff,
        adaptation=adaptation,
    )
    assert adaptation.decided_by == staff and adaptation.decided_at is not None
    with pytest.raises(EnrolmentError, match="asked"):
        record_adaptation(enrolment=adaptation.enrolment, requested=" ", by=staff)
