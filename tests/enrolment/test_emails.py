import base64
import datetime
import email
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from academy.core.models import OutboundEmail
from academy.core.scheduler import periodic_jobs
from academy.enrolment.services import TraineeDetails, send_due_joining_instructions
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import paris, session_with_days

from .helpers import contact, enrol_people, open_session, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def ics_of(outbound: OutboundEmail) -> Calendar:
    [attachment] = [a for a in outbound.attachments if a["filename"].endswith(".ics")]
    assert attachment["mimetype"] == "text/calendar"
    return Calendar.from_ical(base64.b64decode(attachment["content_b64"]))


def test_names_with_accents_commas_and_line_breaks_never_break_or_inject_headers(
    locmem, django_capture_on_commit_callbacks
):
    course_session = open_session()
    course_session.course.title = "Sécurité, électrique\r\nBcc: victim@exemple.invalid"
    course_session.course.save()
    evil = TraineeDetails(
        first_name="Zoë\r\nBcc: spy@exemple.invalid", last_name="Ñúñez, Łukasiewicz\nX-Evil: 1", email="zoe@exemple.fr"
    )

    with django_capture_on_commit_callbacks(execute=True):
        enrol_people(course_session, evil, contact=contact("camille@exemple.fr"))

    assert mail.outbox
    for message in mail.outbox:
        parsed = email.message_from_bytes(message.message().as_bytes())
        assert parsed["Bcc"] is None
        assert parsed["X-Evil"] is None
        assert "\n" not in message.subject and "\r" not in message.subject
        assert set(message.recipients()) <= {"zoe@exemple.fr", "camille@exemple.fr", "accessibilite@academie.exemple"}
    subjects = [
        email.header.make_header(
            email.header.decode_header(email.message_from_bytes(m.message().as_bytes())["Subject"])
        )
        for m in mail.outbox
    ]
    assert any("Sécurité, électrique Bcc: victim@exemple.invalid" in str(s) for s in subjects)


def test_the_confirmation_email_carries_a_valid_ics_of_the_session(django_capture_on_commit_callbacks):
    course_session = open_session()
    enrol_people(course_session, trainee(1))

    outbound = OutboundEmail.objects.get(category="enrolment.booking_received")
    calendar = ics_of(outbound)
    starts = sorted(e.decoded("DTSTART").astimezone(datetime.UTC) for e in calendar.walk("VEVENT"))
    assert starts[0] == datetime.datetime(2027, 3, 30, 7, 0, tzinfo=datetime.UTC)


def test_emails_are_written_in_the_language_of_the_booking():
    course_session = open_session()
    enrol_people(course_session, trainee("fr"), language="fr")
    enrol_people(course_session, trainee("en"), contact=contact("en@exemple.fr"), language="en")

    french = OutboundEmail.objects.get(category="enrolment.booking_received", to=["contact@exemple.fr"])
    english = OutboundEmail.objects.get(category="enrolment.booking_received", to=["en@exemple.fr"])
    # Seats are free: the subject says the enrolment is confirmed, not merely requested.
    assert french.subject.startswith("Inscription confirmée : ")
    assert "Bonjour Camille," in french.body_text and "<p>Bonjour Camille,</p>" in french.body_html
    assert english.subject.startswith("Enrolment confirmed: ")
    assert "Hello Camille," in english.body_text and "<p>Hello Camille,</p>" in english.body_html


def test_html_emails_escape_user_typed_text():
    course_session = open_session()
    enrol_people(
        course_session,
        TraineeDetails("<script>alert(1)</script>", "Nom", "x@exemple.fr"),
        contact=contact("x@exemple.fr"),
    )

    outbound = OutboundEmail.objects.get(category="enrolment.booking_received")
    assert "<script>" not in outbound.body_html
    assert "&lt;script&gt;" in outbound.body_html
    assert "<script>alert(1)</script>" in outbound.body_text


def test_fc03_emails_show_09_00_and_14_00_paris_on_both_sides_of_the_clock_change():
    course_session = session_with_days(datetime.date(2026, 3, 27), datetime.date(2026, 3, 30))
    enrolment = EnrolmentFactory(booking__course_session=course_session, booking__language="fr")
    from academy.enrolment import emails

    emails.send_joining_instructions(enrolment)

    outbound = OutboundEmail.objects.get(category="enrolment.joining_instructions")
    for body in (outbound.body_text, outbound.body_html):
        assert "vendredi 27 mars 2026 : 09:00–12:30, 14:00–17:30" in body
        assert "lundi 30 mars 2026 : 09:00–12:30, 14:00–17:30" in body
    starts = sorted(e.decoded("DTSTART") for e in ics_of(outbound).walk("VEVENT"))
    assert [s.strftime("%d %H:%M") for s in starts] == ["27 09:00", "27 14:00", "30 09:00", "30 14:00"]


def test_joining_instructions_are_sent_n_days_before_the_start_once_only(settings):
    settings.ENROLMENT_JOINING_INSTRUCTIONS_DAYS = 7
    TrainingOrganisationFactory()
    start = timezone.now() + datetime.timedelta(days=6)
    soon = session_with_days(timezone.localdate(start))
    later = session_with_days(timezone.localdate(timezone.now() + datetime.timedelta(days=20)))
    confirmed = EnrolmentFactory(booking__course_session=soon)
    EnrolmentFactory(booking__course_session=soon, status="waiting")
    EnrolmentFactory(booking__course_session=later)

    assert send_due_joining_instructions() == 1
    assert send_due_joining_instructions() == 0

    [outbound] = OutboundEmail.objects.filter(category="enrolment.joining_instructions")
    assert outbound.to == [confirmed.email]
    assert "convocation" in outbound.body_text
    assert "accessibilite@academie.exemple" in outbound.body_text
    assert ics_of(outbound).walk("VEVENT")


def test_the_periodic_jobs_are_registered_and_run_by_the_scheduler_command(
    settings, django_capture_on_commit_callbacks
):
    settings.ENROLMENT_JOINING_INSTRUCTIONS_DAYS = 7
    soon = session_with_days(timezone.localdate(timezone.now() + datetime.timedelta(days=3)))
    EnrolmentFactory(booking__course_session=soon)

    assert {"enrolment.joining_instructions", "enrolment.expire_offers"} <= set(periodic_jobs())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic_work", only=["enrolment.joining_instructions"], stdout=io.StringIO())

    assert OutboundEmail.objects.filter(category="enrolment.joining_instructions").count() == 1


def test_staff_are_notified_of_bookings_and_cancellations(settings):
    settings.ACADEMY_STAFF_EMAILS = ["planning@academie.exemple"]
    from academy.enrolment.services import cancel_enrolment

    course_session = open_session()
    booking = enrol_people(course_session, trainee(1))
    cancel_enrolment(enrolment=booking.enrolments.get(), by=None, reason="Empêchement")

    staff = OutboundEmail.objects.filter(to=["planning@academie.exemple"]).order_by("pk")
    assert [m.category for m in staff] == ["enrolment.staff_new_booking", "enrolment.staff_cancelled"]
    assert "Empêchement" in staff[1].body_text


def test_a_slot_at_a_fixed_paris_time_is_shown_in_the_session_timezone_not_the_servers(settings):
    settings.TIME_ZONE = "America/New_York"
    course_session = session_with_days()
    from tests.factories.scheduling import SessionSlotFactory

    SessionSlotFactory(
        course_session=course_session, starts_at=paris(2027, 3, 30, 9), ends_at=paris(2027, 3, 30, 12, 30)
    )
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    from academy.enrolment import emails

    emails.send_enrolment_confirmed(enrolment)

    assert "09:00–12:30" in OutboundEmail.objects.get(category="enrolment.confirmed").body_text
