"""Typed audit events: one per state change, with data and a reference to the object."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from academy.attendance import services as attendance
from academy.attendance.models import Attendance, Signature
from academy.certification.services import correct_certificate, issue_certificate, revoke_certificate
from academy.core.audit import AUDIT_EVENTS, UnknownAuditEvent, entries_about, person_reference, record_event
from academy.core.models import AuditLogEntry
from academy.core.services import record_audit
from academy.enrolment import services as enrolment_services
from academy.enrolment.models import Enrolment
from academy.privacy.services import erase_person, export_person
from tests.attendance.helpers import trainee as attendance_trainee
from tests.attendance.helpers import two_day_session
from tests.clock import CLOCK, restore_clock  # noqa: F401 (fixture)
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.attendance import DRAWING, sign_slot
from tests.factories.scheduling import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("restore_clock")]


def events_of(obj) -> list[str]:
    return list(entries_about(obj).order_by("at", "pk").values_list("event", flat=True))


def test_an_unknown_event_name_is_refused_with_its_name():
    with pytest.raises(UnknownAuditEvent, match="Unknown audit event 'enrolment.teleported'"):
        record_event("enrolment.teleported")
    assert not AuditLogEntry.objects.exists()


def test_every_event_name_is_dotted_and_files_under_a_known_action():
    for name, event in AUDIT_EVENTS.items():
        assert name.count(".") == 1 and name == event.name
        assert event.action in AuditLogEntry.Action.values


def test_an_event_keeps_its_data_the_object_reference_and_a_pseudonym_never_the_address():
    course_session = open_session()
    enrolment = enrol_people(course_session, trainee(1)).enrolments.get()
    [entry] = AuditLogEntry.objects.filter(event="enrolment.confirmed")
    assert (entry.content_type, entry.object_id) == (ContentType.objects.get_for_model(Enrolment), str(enrolment.pk))
    assert entry.data["course_session"] == course_session.pk and entry.data["status"] == "confirmed"
    assert entry.person_ref == person_reference("TRAINEE1@exemple.fr ")
    assert "trainee1@exemple.fr" not in str(entry.data) + entry.summary


def test_every_state_change_of_an_enrolment_writes_exactly_one_typed_event():
    course_session = open_session(capacity_seats=1)
    first, second = enrol_people(course_session, trainee(1), trainee(2)).enrolments.order_by("pk")
    assert events_of(first) == ["enrolment.confirmed"]
    assert events_of(second) == ["enrolment.waitlisted"]

    enrolment_services.cancel_enrolment(enrolment=first)
    assert events_of(first) == ["enrolment.confirmed", "enrolment.cancelled"]
    assert events_of(second) == ["enrolment.waitlisted", "enrolment.offered"]

    enrolment_services.accept_offer(enrolment=second)
    enrolment_services.accept_offer(enrolment=second)  # accepting twice changes nothing
    assert events_of(second) == ["enrolment.waitlisted", "enrolment.offered", "enrolment.confirmed"]
    assert entries_about(second).get(event="enrolment.confirmed").data["accepted_offer"] is True

    enrolment_services.cancel_course_session(course_session=course_session, reason="Formateur malade")
    assert events_of(second)[-1] == "enrolment.cancelled"
    assert entries_about(second).filter(event="enrolment.cancelled").count() == 1
    assert events_of(course_session) == ["course_session.cancelled"]


def test_an_offer_left_unanswered_writes_one_cancellation_event():
    course_session = open_session(capacity_seats=1)
    first, second = enrol_people(course_session, trainee(1), trainee(2)).enrolments.order_by("pk")
    enrolment_services.cancel_enrolment(enrolment=first)
    second.refresh_from_db()
    enrolment_services.expire_offers(now=second.offer_expires_at + datetime.timedelta(minutes=1))
    enrolment_services.expire_offers(now=second.offer_expires_at + datetime.timedelta(minutes=2))
    cancelled = entries_about(second).get(event="enrolment.cancelled")
    assert cancelled.data["reason"] == "offer_expired"


def test_signing_countersigning_and_a_status_change_each_write_one_typed_event():
    session, trainer, slots = two_day_session()
    enrolment = attendance_trainee(session)
    CLOCK.at(paris(2026, 3, 27, 9, 10))
    signature = attendance.sign_as_trainee(
        slot=slots[0], enrolment=enrolment, strokes=DRAWING, method=Signature.Method.QR_CODE
    )
    CLOCK.at(paris(2026, 3, 27, 12, 30))
    countersignature = attendance.countersign_slot(slot=slots[0], trainer=trainer, strokes=DRAWING)
    CLOCK.back_to_now()
    record = attendance.record_attendance(slot=slots[1], enrolment=enrolment, status=Attendance.Status.ABSENT)
    assert events_of(signature) == ["attendance.signed"]
    assert entries_about(signature).get().data == {"slot": slots[0].pk, "enrolment": enrolment.pk, "method": "qr_code"}
    assert events_of(countersignature) == ["attendance.countersigned"]
    assert events_of(record) == ["attendance.status_changed"]
    assert entries_about(record).get().data["status"] == "absent"


def test_issuing_correcting_and_revoking_a_certificate_each_write_one_typed_event():
    session, trainer, slots = two_day_session()
    enrolment = attendance_trainee(session)
    sign_slot(slots[0], enrolment, trainer)
    first = issue_certificate(enrolment=enrolment, send=False)
    issue_certificate(enrolment=enrolment, send=False)  # asking again issues nothing
    second = correct_certificate(certificate=first, reason="Nom mal orthographié", send=False)
    revoke_certificate(certificate=second, reason="Délivré par erreur")
    assert events_of(first) == ["certificate.issued"]
    assert entries_about(first).get().data == {"enrolment": enrolment.pk, "version": 1, "hours": "3.50"}
    assert events_of(second) == ["certificate.corrected", "certificate.revoked"]
    assert entries_about(second).get(event="certificate.corrected").data["supersedes"] == first.pk


def test_export_and_erasure_each_write_one_typed_event_and_find_the_persons_entries_by_reference(
    django_capture_on_commit_callbacks,
):
    course_session = open_session()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol_people(course_session, trainee(1)).enrolments.get()
    # The session is under way when the person asks: erasure keeps the enrolment (an upcoming one
    # would first be cancelled, see tests/privacy/test_erasure_leftovers.py).
    CLOCK.at(paris(2027, 3, 30, 10))
    # An old entry whose free text holds the address is not about the person for the export.
    record_audit(action="view", object_type="x.y", summary="looked up trainee1@exemple.fr")
    exported = export_person(email="trainee1@exemple.fr")
    assert [e["event"] for e in exported["core"]["audit_log"]] == ["enrolment.confirmed"]
    erase_person(email="trainee1@exemple.fr")
    assert AuditLogEntry.objects.filter(event="personal_data.exported").count() == 1
    erased = AuditLogEntry.objects.get(event="personal_data.erased")
    assert erased.object_id == person_reference("trainee1@exemple.fr")
    assert "trainee1@exemple.fr" not in str(erased.data) + erased.summary
    # The enrolment's events stay as evidence, unlinked from the person.
    assert events_of(enrolment) == ["enrolment.confirmed"]
    assert not AuditLogEntry.objects.filter(person_ref=person_reference("trainee1@exemple.fr")).exists()


def test_the_admin_audit_log_shows_the_event_name_and_its_data(admin_client):
    course_session = open_session()
    enrol_people(course_session, trainee(1))
    html = admin_client.get(reverse("admin:core_auditlogentry_changelist")).content.decode()
    assert "Inscription confirmée (enrolment.confirmed)" in html
    assert "course_session: %s" % course_session.pk in html and "status: confirmed" in html


def test_old_entries_without_an_event_stay_readable_in_the_admin(admin_client):
    entry = AuditLogEntry.objects.create(action="view", object_type="x.y", object_id="1", summary="ancienne entrée")
    assert admin_client.get(reverse("admin:core_auditlogentry_changelist")).status_code == 200
    html = admin_client.get(reverse("admin:core_auditlogentry_change", args=[entry.pk])).content.decode()
    assert "ancienne entrée" in html
    assert str(entry).endswith("view x.y:1")
    assert timezone.is_aware(entry.at)
