import datetime
import re

import pytest
from django.utils import timezone

from academy.core.models import OutboundEmail
from academy.core.scheduler import periodic_jobs
from academy.enrolment.models import Enrolment
from academy.enrolment.signals import enrolment_confirmed
from academy.evaluation.models import Dispatch
from academy.evaluation.sending import read_answer_token, send_due_evaluations
from academy.evaluation.services import submit_response
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import end_survey_answers, session_with_slot
from tests.factories.scheduling import paris

LINK = re.compile(r"https?://\S+/evaluation/answer/(\S+)/")


def links_in(email: OutboundEmail) -> list[str]:
    return LINK.findall(email.body_text)


def test_confirming_an_enrolment_emails_the_before_positioning_link(seed_course, django_capture_on_commit_callbacks):
    course_session = session_with_slot(course=seed_course)
    enrolment = EnrolmentFactory(booking__course_session=course_session, email="zoe.nunez@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)
    email = OutboundEmail.objects.get(category="evaluation")
    assert email.to == ["zoe.nunez@exemple.fr"]
    assert email.status == OutboundEmail.Status.SENT
    assert seed_course.title in email.subject
    (token,) = links_in(email)
    assert read_answer_token(token) == (enrolment, "positioning_before")


def test_the_before_positioning_is_sent_once_even_if_confirmation_is_signalled_twice(seed_course):
    enrolment = EnrolmentFactory(booking__course_session=session_with_slot(course=seed_course))
    enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)
    enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)
    assert OutboundEmail.objects.filter(category="evaluation").count() == 1
    assert Dispatch.objects.get().kind == "positioning_before"


def test_no_before_positioning_once_the_first_slot_is_over(seed_course):
    course_session = session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(days=2))
    enrolment_confirmed.send(sender=Enrolment, enrolment=EnrolmentFactory(booking__course_session=course_session))
    assert not OutboundEmail.objects.exists()


def test_a_waiting_list_enrolment_gets_nothing(seed_course):
    enrolment = EnrolmentFactory(booking__course_session=session_with_slot(course=seed_course), status="waiting")
    enrolment_confirmed.send(sender=Enrolment, enrolment=enrolment)
    assert not OutboundEmail.objects.exists()


def test_the_periodic_job_is_registered_with_the_scheduler():
    assert "evaluation.send_due" in periodic_jobs()


@pytest.fixture
def session_ending_friday(seed_course):
    """A one-slot session on Friday 2026-03-27, 14:00–17:30 Paris."""
    course_session = session_with_slot(course=seed_course, starts_at=paris(2026, 3, 27, 14))
    return course_session


def test_after_positioning_and_end_survey_are_sent_together_at_the_end_of_the_last_slot(session_ending_friday):
    enrolment = EnrolmentFactory(booking__course_session=session_ending_friday)
    Dispatch.objects.create(enrolment=enrolment, kind="positioning_before", sent_at=paris(2026, 3, 26, 9))
    assert send_due_evaluations(now=paris(2026, 3, 27, 17, 29))["invitations"] == 0
    counts = send_due_evaluations(now=paris(2026, 3, 27, 17, 35))
    assert counts["invitations"] == 1
    email = OutboundEmail.objects.get(category="evaluation")
    kinds = sorted(read_answer_token(token)[1] for token in links_in(email))
    assert kinds == ["end_of_course", "positioning_after"]


def test_the_periodic_job_never_sends_twice(session_ending_friday):
    EnrolmentFactory.create_batch(2, booking__course_session=session_ending_friday)
    now = paris(2026, 3, 27, 18)
    send_due_evaluations(now=now)
    assert send_due_evaluations(now=now) == {"invitations": 0, "reminders": 0}
    assert OutboundEmail.objects.filter(category="evaluation").count() == 2


def test_follow_up_is_sent_60_days_after_the_last_day_at_9_paris_time(session_ending_friday):
    enrolment = EnrolmentFactory(booking__course_session=session_ending_friday)
    for kind in ("positioning_before", "positioning_after", "end_of_course"):
        Dispatch.objects.create(enrolment=enrolment, kind=kind, sent_at=paris(2026, 3, 27, 18))
    # 2026-03-27 + 60 days = 2026-05-26 (summer time: 09:00 Paris is 07:00 UTC)
    send_due_evaluations(now=paris(2026, 5, 26, 8, 59))
    assert not Dispatch.objects.filter(kind="follow_up").exists()
    send_due_evaluations(now=paris(2026, 5, 26, 9, 0))
    assert Dispatch.objects.filter(kind="follow_up", step=0).count() == 1


def test_follow_up_delay_is_configurable(session_ending_friday, settings):
    settings.EVALUATION_FOLLOW_UP_DELAY_DAYS = 30
    EnrolmentFactory(booking__course_session=session_ending_friday)
    send_due_evaluations(now=paris(2026, 4, 26, 9))
    assert Dispatch.objects.filter(kind="follow_up").count() == 1


def test_reminders_follow_the_configured_schedule_until_answered(session_ending_friday, settings):
    settings.EVALUATION_REMINDER_DAYS = (3, 7)
    enrolment = EnrolmentFactory(booking__course_session=session_ending_friday)
    send_due_evaluations(now=paris(2026, 3, 27, 18))
    send_due_evaluations(now=paris(2026, 3, 30, 8, 59))
    assert not Dispatch.objects.filter(step=1).exists()
    send_due_evaluations(now=paris(2026, 3, 30, 9))  # 3 days later at 09:00 Paris
    assert sorted(Dispatch.objects.filter(step=1).values_list("kind", flat=True)) == [
        "end_of_course",
        "positioning_after",
    ]
    reminder = OutboundEmail.objects.filter(category="evaluation").order_by("created_at").last()
    assert reminder.subject.startswith("Relance : votre avis")
    submit_response(
        enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment), now=paris(2026, 4, 1, 10)
    )
    send_due_evaluations(now=paris(2026, 4, 3, 9))  # 7 days after the invitation
    assert list(Dispatch.objects.filter(step=2).values_list("kind", flat=True)) == ["positioning_after"]


def test_no_reminder_after_the_window_closes(session_ending_friday, settings):
    settings.EVALUATION_REMINDER_DAYS = (40,)
    EnrolmentFactory(booking__course_session=session_ending_friday)
    send_due_evaluations(now=paris(2026, 3, 27, 18))
    send_due_evaluations(now=paris(2026, 5, 6, 9))
    assert not Dispatch.objects.filter(step=1).exists()


def test_cancelled_trainees_get_no_survey(session_ending_friday):
    EnrolmentFactory(booking__course_session=session_ending_friday, status="cancelled")
    send_due_evaluations(now=paris(2026, 3, 27, 18))
    assert not OutboundEmail.objects.exists()


def test_the_closing_date_in_the_email_is_given_in_the_sessions_timezone(seed_course):
    import zoneinfo

    reunion = zoneinfo.ZoneInfo("Indian/Reunion")  # UTC+4, no summer time
    starts_at = datetime.datetime(2026, 3, 27, 14, 0, tzinfo=reunion)
    course_session = session_with_slot(course=seed_course, starts_at=starts_at, timezone="Indian/Reunion")
    EnrolmentFactory(booking__course_session=course_session)
    send_due_evaluations(now=datetime.datetime(2026, 3, 27, 18, tzinfo=reunion))
    body = OutboundEmail.objects.get(category="evaluation").body_text
    assert "(ouvert jusqu’au 26 avril 2026 17:30)" in body  # 17:30 Réunion = 15:30 Paris
