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
