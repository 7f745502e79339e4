import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from academy.attendance import services
from academy.attendance.exceptions import AttendanceError, SigningRefused
from academy.attendance.models import Attendance, Signature
from academy.core.models import AuditLogEntry
from academy.enrolment.models import Enrolment
from tests.clock import CLOCK, restore_clock  # noqa: F401 (fixture)
from tests.factories.attendance import DRAWING, TraineeSignatureFactory, sign_slot
from tests.factories.scheduling import paris

from .helpers import session_happening_now, trainee, two_day_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("restore_clock")]

MORNING_SIGNING = paris(2026, 3, 27, 9, 10)


def _sign(slot, enrolment, at=MORNING_SIGNING, method=Signature.Method.QR_CODE, **kwargs):
    CLOCK.at(at)
    return services.sign_as_trainee(
        slot=slot,
        enrolment=enrolment,
        strokes=DRAWING,
        method=method,
        ip_address="192.0.2.7",
        user_agent="Phone",
        **kwargs,
    )


def _sign_at(at, **kwargs):
    """Sign through the service with the clock at ``at`` (the service dates signatures itself)."""
    CLOCK.at(at)
    return services.sign_as_trainee(**kwargs)


def _countersign(at, **kwargs):
    CLOCK.at(at)
    return services.countersign_slot(**kwargs)


def test_signing_during_the_slot_stores_strokes_time_ip_and_device_and_marks_present():
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    signature = _sign(slots[0], enrolment)
    assert signature.signed_at == MORNING_SIGNING
    assert (signature.ip_address, signature.user_agent) == ("192.0.2.7", "Phone")
    assert signature.strokes["strokes"][0][0] == [10.0, 60.0]
    assert Attendance.objects.get(slot=slots[0], enrolment=enrolment).status == Attendance.Status.PRESENT


def test_signing_before_the_slot_opens_is_refused_and_logged():
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    with pytest.raises(SigningRefused, match="has not started yet: signing opens at 13:45") as caught:
        _sign(slots[1], enrolment)  # the afternoon slot, at 09:10
    assert caught.value.code == "outside_slot"
    assert not Signature.objects.exists()
    assert AuditLogEntry.objects.filter(action="refuse", summary__startswith="outside_slot").count() == 1


def test_signing_after_the_slot_closes_is_refused():
    session, _trainer, slots = two_day_session()
    with pytest.raises(SigningRefused, match="is over: signing closed at 12:45"):
        _sign(slots[0], trainee(session), at=paris(2026, 3, 27, 12, 46))


def test_a_second_signature_for_the_same_slot_is_refused_and_the_first_is_kept():
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    first = _sign(slots[0], enrolment)
    with pytest.raises(SigningRefused, match="has already signed for this half-day") as caught:
        _sign_at(
            slot=slots[0],
            enrolment=enrolment,
            method=Signature.Method.KIOSK,
            strokes={"width": 10, "height": 10, "strokes": [[[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]]},
            at=MORNING_SIGNING + datetime.timedelta(minutes=1),
        )
    assert caught.value.code == "already_signed"
    kept = Signature.objects.get()
    assert (kept.pk, kept.strokes, kept.method) == (first.pk, first.strokes, Signature.Method.QR_CODE)


def test_the_database_refuses_two_trainee_signatures_for_one_slot():
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    TraineeSignatureFactory(slot=slots[0], enrolment=enrolment)
    with pytest.raises(IntegrityError), transaction.atomic():
        TraineeSignatureFactory(slot=slots[0], enrolment=enrolment)


def test_the_database_refuses_a_signature_naming_both_a_trainee_and_a_trainer():
    session, trainer, slots = two_day_session()
    with pytest.raises(IntegrityError), transaction.atomic():
        TraineeSignatureFactory(slot=slots[0], enrolment=trainee(session), trainer=trainer)


def test_someone_not_confirmed_on_the_session_cannot_sign():
    session, _trainer, slots = two_day_session()
    waiting = trainee(session, status=Enrolment.Status.WAITING)
    with pytest.raises(SigningRefused, match="not a confirmed trainee"):
        _sign(slots[0], waiting)


def test_a_trainee_of_another_session_cannot_sign():
    session, _trainer, slots = two_day_session()
    other, _t, _s = two_day_session()
    with pytest.raises(SigningRefused, match="not a confirmed trainee"):
        _sign(slots[0], trainee(other))


def test_a_malformed_drawing_is_refused_with_its_reason():
    session, _trainer, slots = two_day_session()
    with pytest.raises(SigningRefused, match="draw your signature"):
        _sign_at(
            slot=slots[0],
            enrolment=trainee(session),
            strokes='{"width": 10, "height": 10, "strokes": []}',
            method=Signature.Method.QR_CODE,
            at=MORNING_SIGNING,
        )
    assert not Signature.objects.exists()


def test_the_trainer_countersigns_once_per_slot():
    session, trainer, slots = two_day_session()
    _countersign(slot=slots[0], trainer=trainer, strokes=DRAWING, at=paris(2026, 3, 27, 12, 30))
    with pytest.raises(SigningRefused, match="already countersigned"):
        _countersign(slot=slots[0], trainer=trainer, strokes=DRAWING, at=paris(2026, 3, 27, 12, 31))


def test_a_trainer_of_another_session_cannot_countersign():
    _session, _trainer, slots = two_day_session()
    _other, stranger, _s = two_day_session()
    with pytest.raises(SigningRefused, match="Only a trainer of this session"):
        _countersign(slot=slots[0], trainer=stranger, strokes=DRAWING, at=paris(2026, 3, 27, 12, 30))


def test_countersigning_the_next_day_is_refused():
    _session, trainer, slots = two_day_session()
    with pytest.raises(SigningRefused, match="within two hours after it"):
        _countersign(slot=slots[0], trainer=trainer, strokes=DRAWING, at=paris(2026, 3, 28, 9))


def test_trainee_cannot_sign_before_the_half_day_begins():
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    with pytest.raises(SigningRefused, match="has not started yet: signing opens at 08:45") as caught:
        _sign(slots[0], enrolment, at=paris(2026, 3, 27, 8, 44))
    assert caught.value.code == "outside_slot"
    assert not Signature.objects.exists()
    assert not Attendance.objects.exists()


def test_trainee_signature_is_dated_by_the_server_clock_not_by_the_caller():
    session, _trainer, slots = two_day_session()
    CLOCK.at(paris(2026, 3, 26, 18))  # the evening before the session
    with pytest.raises(TypeError):
        services.sign_as_trainee(
            slot=slots[0], enrolment=trainee(session), strokes=DRAWING, method="qr_code", at=MORNING_SIGNING
        )
    with pytest.raises(SigningRefused, match="has not started yet"):
        services.sign_as_trainee(
            slot=slots[0], enrolment=trainee(session, email="b@exemple.fr"), strokes=DRAWING, method="qr_code"
        )
    assert not Signature.objects.exists()


def test_trainer_cannot_countersign_before_the_half_day_begins():
    _session, trainer, slots = two_day_session()
    with pytest.raises(SigningRefused, match="has not started yet: countersigning opens at 08:45") as caught:
        _countersign(slot=slots[0], trainer=trainer, strokes=DRAWING, at=paris(2026, 3, 27, 8, 30))
    assert caught.value.code == "outside_slot"
    assert not Signature.objects.exists()
    assert AuditLogEntry.objects.filter(action="refuse", summary__startswith="outside_slot").count() == 1


def test_the_signing_margin_before_the_start_is_a_setting(settings):
    session, trainer, slots = two_day_session()
    settings.ACADEMY_SIGNING_OPENS_MINUTES_BEFORE = 0
    with pytest.raises(SigningRefused, match="signing opens at 09:00"):
        _sign(slots[0], trainee(session), at=paris(2026, 3, 27, 8, 55))
    with pytest.raises(SigningRefused, match="countersigning opens at 09:00"):
        _countersign(slot=slots[0], trainer=trainer, strokes=DRAWING, at=paris(2026, 3, 27, 8, 59))
    assert _countersign(slot=slots[0], trainer=trainer, strokes=DRAWING, at=paris(2026, 3, 27, 9)).pk


# --- QR codes ----------------------------------------------------------------------------------


def test_a_fresh_room_code_is_accepted_during_its_slot():
    _session, _trainer, slots = two_day_session()
    token = services.make_qr_token(slot=slots[0], at=MORNING_SIGNING)
    assert (
        services.read_qr_token(slot=slots[0], token=token, at=MORNING_SIGNING + datetime.timedelta(seconds=40)) is None
    )


def test_no_room_code_exists_for_a_future_slot():
    _session, _trainer, slots = two_day_session()
    with pytest.raises(SigningRefused, match="has not started yet"):
        services.make_qr_token(slot=slots[2], at=MORNING_SIGNING)


def test_a_replayed_room_code_is_refused_once_it_has_rotated_away():
    _session, _trainer, slots = two_day_session()
    token = services.make_qr_token(slot=slots[0], at=MORNING_SIGNING)
    with pytest.raises(SigningRefused, match="expired") as caught:
        services.read_qr_token(slot=slots[0], token=token, at=MORNING_SIGNING + datetime.timedelta(minutes=5))
    assert caught.value.code == "expired_code"


def test_a_room_code_of_another_slot_is_refused():
    _session, _trainer, slots = two_day_session()
    token = services.make_qr_token(slot=slots[0], at=MORNING_SIGNING)
    with pytest.raises(SigningRefused, match="not valid for this half-day") as caught:
        services.read_qr_token(slot=slots[1], token=token, at=MORNING_SIGNING)
    assert caught.value.code == "forged_code"


def test_a_forged_room_code_is_refused_and_logged():
    _session, _trainer, slots = two_day_session()
    token = services.make_qr_token(slot=slots[0], at=MORNING_SIGNING)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    with pytest.raises(SigningRefused, match="not valid for this half-day"):
        services.read_qr_token(slot=slots[0], token=forged, at=MORNING_SIGNING)
    assert AuditLogEntry.objects.filter(
        action="refuse", object_id=str(slots[0].pk), summary__startswith="forged_code"
    ).exists()


def test_a_personal_link_names_its_slot_and_trainee():
    session, _trainer, slots = two_day_session()
    enrolment = trainee(session)
    token = services.make_signing_link_token(slot=slots[0], enrolment=enrolment)
    assert services.read_signing_link_token(slot_id=slots[0].pk, token=token) == (slots[0], enrolment)
    with pytest.raises(SigningRefused, match="link is not valid"):
        services.read_signing_link_token(slot_id=slots[1].pk, token=token)


# --- statuses and hours ------------------------------------------------------------------------


def _credited(session, enrolment):
    return services.trainee_hours(enrolment=enrolment)


def test_a_slot_counts_only_with_both_signatures():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    TraineeSignatureFactory(slot=slots[0], enrolment=enrolment)
    assert _credited(session, enrolment).hours == Decimal("0.00")
    sign_slot(slots[0], trainee(session, last_name="Autre"), trainer)  # countersignature now exists
    assert _credited(session, enrolment).hours == Decimal("3.50")


def test_a_late_arrival_credits_from_the_arrival_time():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    sign_slot(slots[0], enrolment, trainer)
    services.record_attendance(slot=slots[0], enrolment=enrolment, status="late", arrived_at=paris(2026, 3, 27, 9, 45))
    assert _credited(session, enrolment).hours == Decimal("2.75")


def test_an_early_departure_credits_until_the_departure_time():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    sign_slot(slots[1], enrolment, trainer)
    services.record_attendance(
        slot=slots[1], enrolment=enrolment, status="left_early", left_at=paris(2026, 3, 27, 16, 20)
    )
    assert _credited(session, enrolment).hours == Decimal("2.33")


def test_an_excused_absence_credits_nothing_even_if_signed():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    sign_slot(slots[0], enrolment, trainer)
    services.record_attendance(slot=slots[0], enrolment=enrolment, status="excused")
    assert _credited(session, enrolment).hours == Decimal("0.00")


def test_a_late_status_without_arrival_time_is_refused():
    session, _trainer, slots = two_day_session()
    with pytest.raises(AttendanceError, match="needs the arrival time"):
        services.record_attendance(slot=slots[0], enrolment=trainee(session), status="late")


def test_an_arrival_time_outside_the_slot_is_refused():
    session, _trainer, slots = two_day_session()
    with pytest.raises(AttendanceError, match=r"within the half-day \(09:00–12:30\)"):
        services.record_attendance(
            slot=slots[0], enrolment=trainee(session), status="late", arrived_at=paris(2026, 3, 27, 13)
        )


def test_the_database_refuses_a_late_status_without_arrival_time():
    session, _trainer, slots = two_day_session()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(slot=slots[0], enrolment=trainee(session), status="late")


@pytest.mark.parametrize(
    "days",
    [
        (datetime.date(2026, 3, 27), datetime.date(2026, 3, 30)),
        (datetime.date(2026, 10, 23), datetime.date(2026, 10, 26)),
    ],
)
def test_fc03_slots_across_the_clock_change_keep_their_local_hours_and_length(days):
    session, trainer, slots = two_day_session(*days)
    enrolment = trainee(session)
    for slot in slots:
        sign_slot(slot, enrolment, trainer)
    summary = _credited(session, enrolment)
    assert [line.slot.local_start.strftime("%a %H:%M") for line in summary.lines] == [
        "Fri 09:00",
        "Fri 14:00",
        "Mon 09:00",
        "Mon 14:00",
    ]
    assert [line.hours for line in summary.lines] == [Decimal("3.5")] * 4
    assert summary.hours == Decimal("14.00")


def test_attendance_evidence_cannot_be_deleted_with_its_enrolment_or_slot():
    session, trainer, slots = two_day_session()
    enrolment = trainee(session)
    sign_slot(slots[0], enrolment, trainer)
    with pytest.raises(ProtectedError):
        enrolment.delete()
    with pytest.raises(ProtectedError):
        slots[0].delete()


def test_the_session_grid_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    session, trainer, slots = two_day_session()
    for index in range(2):
        sign_slot(slots[0], trainee(session, last_name="T%d" % index), trainer)
    with django_assert_max_num_queries(4):
        services.session_attendance(course_session=session)
    for index in range(2, 12):
        enrolment = trainee(session, last_name="T%d" % index)
        for slot in slots:
            sign_slot(slot, enrolment, trainer)
    with django_assert_max_num_queries(4):
        services.session_attendance(course_session=session)


# --- the signing device ------------------------------------------------------------------------


def _device_room():
    session, _trainer, slot = session_happening_now()
    return session, slot, trainee(session, email="zoe.nunez@exemple.fr"), trainee(session, email="anh@exemple.fr")


def test_a_tampered_or_foreign_device_cookie_binds_nothing():
    session, _slot, alice, _bob = _device_room()
    other_session, _t, _s = session_happening_now()
    name = services.device_cookie_name(session)
    value = services.make_device_binding(enrolment=alice)
    assert services.read_device_binding(course_session=session, cookies={name: value}) == alice.pk
    assert services.read_device_binding(course_session=session, cookies={name: value[:-2] + "xx"}) is None
    assert services.read_device_binding(course_session=other_session, cookies={name: value}) is None


def test_the_device_rule_refuses_another_trainee_and_accepts_the_bound_one():
    _session, slot, alice, bob = _device_room()
    services.check_device_may_sign(slot=slot, enrolment=alice, bound_enrolment_id=alice.pk)
    services.check_device_may_sign(slot=slot, enrolment=bob, bound_enrolment_id=None)
    with pytest.raises(SigningRefused, match="already been used to sign for another trainee") as caught:
        services.check_device_may_sign(slot=slot, enrolment=bob, bound_enrolment_id=alice.pk)
    assert caught.value.code == "someone_else"


def test_identifying_needs_a_confirmed_enrolment_of_the_session():
    _session, slot, alice, _bob = _device_room()
    assert services.identify_trainee(slot=slot, email=" ZOE.nunez@exemple.fr") == alice
    alice.status = "cancelled"
    alice.save()
    with pytest.raises(SigningRefused, match="No confirmed trainee of this session has this e-mail address"):
        services.identify_trainee(slot=slot, email=alice.email)
    with pytest.raises(SigningRefused, match="No confirmed trainee"):
        services.identify_trainee(slot=slot, email="")
