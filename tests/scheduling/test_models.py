import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from academy.scheduling.models import CourseSession
from tests.factories.scheduling import session_with_days

pytestmark = pytest.mark.django_db


def test_price_including_vat_is_rounded_half_up_to_the_cent():
    course_session = session_with_days(vat_rate_pct=Decimal("20"))
    course_session.price_excl_vat = Decimal("0.0375")  # 0.045 incl. VAT: half-up gives 0.05, half-even 0.04
    assert course_session.price_incl_vat == Decimal("0.05")


def test_open_for_enrolment_keeps_upcoming_open_or_full_inter_company_sessions_before_their_deadline():
    today = timezone.localdate()
    keep_open = session_with_days(datetime.date(2027, 3, 30))
    keep_full = session_with_days(datetime.date(2027, 3, 30), status="full")
    keep_deadline_today = session_with_days(datetime.date(2027, 3, 30), enrolment_deadline=today)
    session_with_days(datetime.date(2027, 3, 30), enrolment_deadline=today - datetime.timedelta(days=1))
    session_with_days(datetime.date(2027, 3, 30), status="draft")
    session_with_days(datetime.date(2027, 3, 30), status="closed")
    session_with_days(datetime.date(2026, 3, 30))
    session_with_days()  # no slot yet

    assert set(CourseSession.objects.open_for_enrolment()) == {keep_open, keep_full, keep_deadline_today}


def test_local_days_group_slots_by_local_date():
    course_session = session_with_days(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))

    days = course_session.local_days()

    assert [d["date"] for d in days] == [datetime.date(2026, 3, 27), datetime.date(2026, 3, 30)]
    assert [len(d["slots"]) for d in days] == [2, 2]


def test_a_capacity_out_of_range_is_refused_with_a_message_and_by_the_database_on_every_backend():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from academy.scheduling.models import MAX_CAPACITY_SEATS

    course_session = session_with_days(datetime.date(2027, 3, 30))
    course_session.capacity_seats = 3_000_000_000
    with pytest.raises(ValidationError, match="inférieure ou égale à %d" % MAX_CAPACITY_SEATS):
        course_session.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseSession.objects.filter(pk=course_session.pk).update(capacity_seats=MAX_CAPACITY_SEATS + 1)


UTC = datetime.UTC


def _open_now(course_session, now) -> tuple[bool, bool]:
    """(the model's answer, the query's answer) to "open for enrolment at ``now``": they must agree."""
    by_model = course_session.enrolment_closed_reason(now) is None
    by_query = CourseSession.objects.open_for_enrolment(now).filter(pk=course_session.pk).exists()
    return by_model, by_query


def test_enrolment_stays_open_until_midnight_of_the_deadline_day_in_paris_then_closes():
    course_session = session_with_days(datetime.date(2027, 3, 30), enrolment_deadline=datetime.date(2027, 1, 15))

    # 23:59:59 in Paris (UTC+1 in winter) is 22:59:59 UTC; midnight in Paris is 23:00 UTC, still 15 January in UTC.
    assert _open_now(course_session, datetime.datetime(2027, 1, 15, 22, 59, 59, tzinfo=UTC)) == (True, True)
    assert _open_now(course_session, datetime.datetime(2027, 1, 15, 23, 0, tzinfo=UTC)) == (False, False)
    assert course_session.enrolment_closed_reason(datetime.datetime(2027, 1, 15, 23, 0, tzinfo=UTC)) == "deadline"


def test_the_deadline_day_is_read_in_the_sessions_own_timezone_not_the_servers():
    new_york = session_with_days(
        datetime.date(2027, 3, 30), enrolment_deadline=datetime.date(2027, 1, 15), timezone="America/New_York"
    )
    auckland = session_with_days(
        datetime.date(2027, 3, 30), enrolment_deadline=datetime.date(2027, 1, 15), timezone="Pacific/Auckland"
    )

    # 03:00 UTC on 16 January: still 15 January (22:00) in New York, already 16 January (16:00) in Auckland.
    now = datetime.datetime(2027, 1, 16, 3, 0, tzinfo=UTC)
    assert _open_now(new_york, now) == (True, True)
    assert _open_now(auckland, now) == (False, False)
    # 11:00 UTC on 15 January is midnight of 16 January in Auckland (UTC+13 in summer): closed from that instant.
    assert _open_now(auckland, datetime.datetime(2027, 1, 15, 10, 59, 59, tzinfo=UTC)) == (True, True)
    assert _open_now(auckland, datetime.datetime(2027, 1, 15, 11, 0, tzinfo=UTC)) == (False, False)


def test_enrolment_closes_the_instant_the_first_half_day_starts():
    course_session = session_with_days(datetime.date(2027, 3, 30))
    starts_at = course_session.starts_at

    assert _open_now(course_session, starts_at - datetime.timedelta(microseconds=1)) == (True, True)
    assert _open_now(course_session, starts_at) == (False, False)
    assert course_session.enrolment_closed_reason(starts_at) == "started"


def test_the_closed_reason_says_why_a_session_takes_no_public_enrolment():
    now = datetime.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)

    assert session_with_days().enrolment_closed_reason(now) == "started"  # no half-day yet
    assert session_with_days(datetime.date(2027, 3, 30), status="closed").enrolment_closed_reason(now) == "status"
    in_company = session_with_days(datetime.date(2027, 3, 30), kind="in_company")
    assert in_company.enrolment_closed_reason(now) == "reserved"
    assert session_with_days(datetime.date(2027, 3, 30), status="full").enrolment_closed_reason(now) is None
