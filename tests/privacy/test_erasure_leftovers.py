"""What an erasure (GDPR art. 17) must not leave behind: a seat still held, messages still sent,
a name on the public certificate check, the development mail folder, a phone number in a staff
e-mail, the address in a staff URL, and an export (art. 15) that forgets e-mails about the person.

One end-to-end story first, then one focused test per kind of leftover.
"""

from __future__ import annotations

import base64
import datetime
import email
import email.policy
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from academy.attendance import services as attendance
from academy.attendance.exceptions import SigningRefused
from academy.attendance.models import Attendance
from academy.catalog.models import Lead
from academy.catalog.services import record_lead
from academy.certification.models import Certificate
from academy.certification.services import download_token
from academy.core.audit import record_event
from academy.core.delivery import deliver, retry_due_emails
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.core.notifications import is_erased_address, notify
from academy.core.services import queue_email
from academy.enrolment.links import booking_token
from academy.enrolment.models import Booking, Enrolment
from academy.enrolment.personal_data import erase as erase_enrolment_records
from academy.enrolment.services import (
    ContactDetails,
    TraineeDetails,
    accept_offer,
    enrol,
    expire_offers,
    send_due_joining_instructions,
)
from academy.evaluation.models import Dispatch
from academy.evaluation.sending import answer_url, send_due_evaluations
from academy.evaluation.services import follow_up_due_at
from academy.privacy.scrub import phone_variants
from academy.privacy.services import erase_person, export_person
from academy.privacy.views import PERSON_TOKEN_AGE
from tests.clock import Clock
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import staff_admin
from tests.factories.scheduling import session_with_days

from .test_erasure_everywhere import EMAIL, FIRST, LAST, pdf_text, trainee_story

pytestmark = pytest.mark.django_db

PHONE = "06 12 34 56 78"
PHONE_FORMS = ["06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78", "+33612345678"]
NEEDLES = [EMAIL, LAST, "%s %s" % (FIRST, LAST), *PHONE_FORMS]
ADA = "ada.lovelace@exemple.fr"
STAFF = "accueil@academie.exemple"


@pytest.fixture
def clock():
    clock = Clock()
    yield clock
    clock.back_to_now()


@pytest.fixture
def staff_inbox(settings):
    settings.ACADEMY_STAFF_EMAILS = [STAFF]
    return STAFF


@pytest.fixture
def mail_folder(settings, tmp_path):
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    return folder


def upcoming_full_session(course, *, days_ahead: int = 20):
    """A session of one seat starting ``days_ahead`` days from today (Paris, two half-days)."""
    return session_with_days(
        timezone.localdate() + datetime.timedelta(days=days_ahead), course=course, capacity_seats=1
    )


def enrol_one(course_session, *, first: str, last: str, address: str, phone: str = "") -> Enrolment:
    booking = enrol(
        course_session=course_session,
        contact=ContactDetails(first_name=first, last_name=last, email=address, phone=phone),
        trainees=[TraineeDetails(first_name=first, last_name=last, email=address)],
        funding=Booking.Funding.PERSONAL,
    )
    return booking.enrolments.get()


def erase(capture) -> dict:
    with capture(execute=True):
        return erase_person(email=EMAIL, by=staff_admin())


def stored_texts() -> list[tuple[str, str]]:
    """Every stored message and audit summary, as ``(where, text)``."""
    texts = []
    for message in OutboundEmail.objects.all():
        texts.append(
            (
                "email %s" % message.pk,
                " ".join(
                    [
                        message.subject,
                        message.body_text,
                        message.body_html,
                        message.error,
                        " ".join(message.to),
                        " ".join(message.reply_to or []),
                        " ".join((message.display_names or {}).values()),
                    ]
                ),
            )
        )
    texts += [
        ("audit %s" % e.pk, "%s %s %s" % (e.summary, e.object_id, e.actor_label)) for e in AuditLogEntry.objects.all()
    ]
    return texts


def found_in_stored_texts(needles: list[str]) -> list[str]:
    lowered = [n.lower() for n in needles]
    return [where for where, text in stored_texts() if any(n in text.lower() for n in lowered)]


def mail_folder_messages(folder: Path) -> list[str]:
    """Each message of the mail folder: its raw text plus its decoded headers and text parts."""
    found = []
    for path in sorted(folder.iterdir()) if folder.exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk, policy=email.policy.default)
            parts = [chunk.decode("utf-8", "replace")]
            parts += ["%s: %s" % (name, value) for name, value in message.items()]
            parts += [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
            found.append("\n".join(parts))
    return found


def addressed_to_person(message: OutboundEmail) -> bool:
    return any(a.lower() == EMAIL or is_erased_address(a) for a in message.to)


# ---------------------------------------------------------------------------------------------
# The whole story


def test_erasure_frees_the_upcoming_seat_silences_every_message_and_keeps_only_staff_evidence(
    seed_course, clock, staff_inbox, mail_folder, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    story = trainee_story(
        course=seed_course, day=timezone.localdate() - datetime.timedelta(days=30), clock=clock, capture=capture
    )
    upcoming = upcoming_full_session(seed_course)
    with capture(execute=True):
        seat = enrol_one(upcoming, first=FIRST, last=LAST, address=EMAIL, phone=PHONE)
        waiting = enrol_one(upcoming, first="Ada", last="Lovelace", address=ADA)
        record_lead(
            kind=Lead.Kind.CONTACT,
            course=seed_course,
            values={
                "first_name": FIRST,
                "last_name": LAST,
                "email": EMAIL,
                "phone": "+33 6 12 34 56 78",
                "message": "Rappelez-moi au 06.12.34.56.78 avant la session, merci.",
            },
        )
    assert (seat.status, waiting.status) == (Enrolment.Status.CONFIRMED, Enrolment.Status.WAITING)
    # The story left the person everywhere: the checks below can fail.
    verify_url = story["certificate"].get_verification_url()
    assert LAST in Client().get(verify_url).content.decode()
    assert any(LAST in m or EMAIL in m for m in mail_folder_messages(mail_folder))
    assert any("06.12.34.56.78" in text for _where, text in stored_texts())
    ada_messages_before = OutboundEmail.objects.filter(to__icontains="ada.lovelace").count()

    erase(capture)

    # The seat went to the next person waiting, who was told, accepted and is confirmed.
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert seat.status == Enrolment.Status.CANCELLED
    assert waiting.status == Enrolment.Status.OFFERED
    offer = OutboundEmail.objects.get(to=[ADA], category="enrolment.seat_offered")
    assert offer.status == OutboundEmail.Status.SENT
    assert OutboundEmail.objects.filter(to__icontains="ada.lovelace").count() == ada_messages_before + 1
    with capture(execute=True):
        accept_offer(enrolment=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
    events = set(
        AuditLogEntry.objects.filter(object_id__in=[str(seat.pk), str(waiting.pk)]).values_list("event", flat=True)
    )
    assert {"enrolment.cancelled", "enrolment.offered", "enrolment.confirmed"} <= events

    # The periodic work finds nobody to write to: joining instructions, follow-up survey, retries.
    last_before = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
    mail.outbox = []
    first_start = upcoming.slots.order_by("starts_at").first().starts_at
    past_end = story["slots"][-1].ends_at
    with capture(execute=True):
        for moment in (
            timezone.now(),
            first_start - datetime.timedelta(days=3),
            follow_up_due_at(course_session=story["session"], last_end=past_end) + datetime.timedelta(hours=1),
        ):
            send_due_joining_instructions(now=moment)
            send_due_evaluations(now=moment)
            expire_offers(now=moment)
            retry_due_emails(now=moment + datetime.timedelta(days=1))
        attendance.send_signing_links(slot=story["slots"][0])
    new_messages = OutboundEmail.objects.filter(pk__gt=last_before or 0)
    assert [m.to for m in new_messages if addressed_to_person(m)] == []
    assert not Dispatch.objects.filter(enrolment=story["enrolment"]).exists()
    assert [m.to for m in mail.outbox if any(EMAIL in a.lower() or ".invalid" in a for a in m.to)] == []
    assert not OutboundEmail.objects.filter(to__icontains=EMAIL).exists()

    # The name is nowhere public or stored in free text.
    page = Client().get(verify_url).content.decode()
    assert "verdict-valid" in page
    assert LAST not in page and FIRST not in page
    assert [m for m in mail_folder_messages(mail_folder) if any(n.lower() in m.lower() for n in NEEDLES)] == []
    assert found_in_stored_texts(NEEDLES) == []

    # Staff still read the retained evidence.
    staff = Client()
    staff.force_login(staff_admin())
    sheet = staff.get(reverse("attendance:sheet_pdf", kwargs={"session_id": story["session"].pk}))
    assert sheet.status_code == 200 and LAST in pdf_text(sheet.getvalue())
    certificate_pdf = staff.get(reverse("certification:pdf", kwargs={"certificate_id": story["certificate"].pk}))
    assert certificate_pdf.status_code == 200 and LAST in pdf_text(certificate_pdf.getvalue())
    assert Attendance.objects.filter(enrolment=story["enrolment"]).count() == 2


# ---------------------------------------------------------------------------------------------
# 1. The seat of an upcoming session


def test_seat_erasure_cancels_upcoming_enrolments_through_the_cancel_transition_and_promotes_the_waiting_list(
    seed_course, staff_inbox, django_capture_on_commit_callbacks
):
    upcoming = upcoming_full_session(seed_course)
    with django_capture_on_commit_callbacks(execute=True):
        seat = enrol_one(upcoming, first=FIRST, last=LAST, address=EMAIL)
        waiting = enrol_one(upcoming, first="Ada", last="Lovelace", address=ADA)
    mail.outbox = []

    report = erase(django_capture_on_commit_callbacks)

    seat.refresh_from_db()
    waiting.refresh_from_db()
    upcoming.refresh_from_db()
    assert seat.status == Enrolment.Status.CANCELLED and seat.is_erased
    assert waiting.status == Enrolment.Status.OFFERED
    assert report["changed"]["enrolment"] >= 2  # one cancelled, then anonymised (and its booking)
    recipients = sorted(a for m in mail.outbox for a in m.to)
    assert ADA in recipients and STAFF in recipients
    assert not [a for a in recipients if a.lower() == EMAIL or is_erased_address(a)]
    cancelled = AuditLogEntry.objects.get(event="enrolment.cancelled", object_id=str(seat.pk))
    assert cancelled.data["held_seat"] is True
    assert AuditLogEntry.objects.filter(event="enrolment.offered", object_id=str(waiting.pk)).exists()


def test_seat_erasure_leaves_enrolments_of_sessions_already_started_as_evidence(
    seed_course, clock, django_capture_on_commit_callbacks
):
    story = trainee_story(
        course=seed_course,
        day=timezone.localdate() - datetime.timedelta(days=30),
        clock=clock,
        capture=django_capture_on_commit_callbacks,
    )

    erase(django_capture_on_commit_callbacks)

    story["enrolment"].refresh_from_db()
    assert story["enrolment"].status == Enrolment.Status.CONFIRMED and story["enrolment"].is_erased


# ---------------------------------------------------------------------------------------------
# 2. No message to the person afterwards


def test_notify_drops_recipients_on_the_erased_placeholder_domain():
    context = {"course": None, "kind_label": "Contact", "greeting_name": "Ada"}
    assert notify(event="lead.acknowledgement", to=["erased-12@invalid.invalid"], context=context) is None
    message = notify(event="lead.acknowledgement", to=["erased-contact-3@invalid.invalid", ADA], context=context)
    assert message.to == [ADA]
    assert is_erased_address("erased-1@invalid.invalid") and is_erased_address("[erased]")
    assert is_erased_address("someone@erased.invalid") and not is_erased_address("zoe@exemple.fr")


def test_a_message_queued_for_the_person_before_erasure_is_never_delivered(
    seed_course, django_capture_on_commit_callbacks
):
    past = session_with_days(timezone.localdate() - datetime.timedelta(days=2), course=seed_course)
    EnrolmentFactory(booking__course_session=past, first_name=FIRST, last_name=LAST, email=EMAIL)
    with django_capture_on_commit_callbacks(execute=False):
        to_person = queue_email(to=[EMAIL], subject="Votre convocation", body_text="Bonjour %s" % FIRST)
        shared = queue_email(to=[EMAIL, ADA], subject="Annulation", body_text="%s %s est désinscrite." % (FIRST, LAST))
        erase_person(email=EMAIL)
    mail.outbox = []
    # The deliveries queued before the erasure run afterwards, then the retries.
    assert deliver(to_person.pk) == OutboundEmail.Status.FAILED
    assert deliver(shared.pk) == OutboundEmail.Status.SENT
    assert retry_due_emails(now=timezone.now() + datetime.timedelta(days=2)) == 0
    assert [m.to for m in mail.outbox] == [[ADA]]
    assert LAST not in mail.outbox[0].body and FIRST not in mail.outbox[0].body
    to_person.refresh_from_db()
    assert to_person.next_attempt_at is None and "erased" in to_person.error


def test_periodic_jobs_skip_erased_enrolments(seed_course, django_capture_on_commit_callbacks):
    upcoming = session_with_days(timezone.localdate() + datetime.timedelta(days=3), course=seed_course)
    past = session_with_days(timezone.localdate() - datetime.timedelta(days=2), course=seed_course)
    on_upcoming = EnrolmentFactory(booking__course_session=upcoming, email=EMAIL)
    on_past = EnrolmentFactory(booking__course_session=past, email=EMAIL)
    others = [EnrolmentFactory(booking__course_session=s, email="other%d@exemple.fr" % s.pk) for s in (upcoming, past)]
    # An erasure that left them confirmed (a session already started cannot be cancelled).
    erase_enrolment_records(EMAIL)
    on_upcoming.refresh_from_db()
    on_past.refresh_from_db()
    assert on_upcoming.is_erased and on_past.is_erased

    with django_capture_on_commit_callbacks(execute=True):
        joining = send_due_joining_instructions()
        send_due_evaluations()
        links = attendance.send_signing_links(slot=past.slots.first())

    assert joining == 1 and links == 1  # the other trainee of each session only
    assert not Dispatch.objects.filter(enrolment__in=[on_upcoming, on_past]).exists()
    assert Dispatch.objects.filter(enrolment=others[1]).exists()
    assert [m.to for m in OutboundEmail.objects.all() if addressed_to_person(m)] == []
    # A reminder still scheduled for the erased enrolment (an invitation recorded before) is not sent.
    Dispatch.objects.create(enrolment=on_past, kind="end_of_course", step=0, sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        send_due_evaluations(now=timezone.now() + datetime.timedelta(days=20))
    assert not Dispatch.objects.filter(enrolment=on_past, step__gt=0).exists()
    assert [m.to for m in OutboundEmail.objects.all() if addressed_to_person(m)] == []


def test_personal_links_answer_like_expired_links_after_erasure(seed_course, clock, django_capture_on_commit_callbacks):
    story = trainee_story(
        course=seed_course,
        day=timezone.localdate() - datetime.timedelta(days=30),
        clock=clock,
        capture=django_capture_on_commit_callbacks,
    )
    enrolment = story["enrolment"]
    survey = answer_url(enrolment=enrolment, kind="follow_up")
    download = reverse("certification:download", args=[download_token(story["certificate"])])
    signing_token = attendance.make_signing_link_token(slot=story["slots"][0], enrolment=enrolment)
    public = Client()
    assert "Ce lien a expiré" not in public.get(survey).content.decode()
    assert public.get(download).status_code == 200

    erase(django_capture_on_commit_callbacks)

    page = public.get(survey)
    assert page.status_code == 200
    assert "Ce lien a expiré" in page.content.decode()
    assert public.get(download).status_code == 404
    with pytest.raises(SigningRefused, match="Ce lien de signature a expiré"):
        attendance.read_signing_link_token(slot_id=story["slots"][0].pk, token=signing_token)


def test_personal_links_the_booking_page_link_of_an_erased_contact_no_longer_opens(
    seed_course, django_capture_on_commit_callbacks
):
    upcoming = upcoming_full_session(seed_course)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol_one(upcoming, first=FIRST, last=LAST, address=EMAIL)
    url = reverse("enrolment:booking", kwargs={"token": booking_token(enrolment.booking)})
    public = Client()
    assert public.get(url).status_code == 200

    erase(django_capture_on_commit_callbacks)

    response = public.get(url)
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# 3. The public certificate check


def test_certificate_check_keeps_the_verdict_but_not_the_name_after_erasure(
    seed_course, clock, django_capture_on_commit_callbacks
):
    story = trainee_story(
        course=seed_course,
        day=timezone.localdate() - datetime.timedelta(days=30),
        clock=clock,
        capture=django_capture_on_commit_callbacks,
    )
    certificate = story["certificate"]
    public = Client()
    before = public.get(certificate.get_verification_url()).content.decode()
    assert "%s %s" % (FIRST, LAST) in before

    erase(django_capture_on_commit_callbacks)

    response = public.get(certificate.get_verification_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "verdict-valid" in page and certificate.course_title in page
    assert LAST not in page and FIRST not in page
    assert "Non affiché : les données personnelles du titulaire ont été effacées à sa demande." in page
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED, revoked_at=timezone.now())
    revoked = public.get(certificate.get_verification_url()).content.decode()
    assert "verdict-revoked" in revoked and LAST not in revoked
    certificate.refresh_from_db()
    assert certificate.holder_name == "%s %s" % (FIRST, LAST)  # the evidence itself is kept for staff


# ---------------------------------------------------------------------------------------------
# 4. The development mail folder


def test_mail_folder_erasure_scrubs_the_file_backend_folder_and_leaves_other_messages_alone(
    seed_course, mail_folder, django_capture_on_commit_callbacks
):
    past = session_with_days(timezone.localdate() - datetime.timedelta(days=2), course=seed_course)
    EnrolmentFactory(booking__course_session=past, first_name=FIRST, last_name=LAST, email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to=[EMAIL], subject="Convocation de %s %s" % (FIRST, LAST), body_text="Bonjour %s %s" % (FIRST, LAST)
        )
        queue_email(
            to=[STAFF], subject="Désinscription", body_text="%s %s <%s> s'est désinscrite." % (FIRST, LAST, EMAIL)
        )
        queue_email(to=[ADA], subject="Bienvenue Ada", body_text="Bonjour Ada Lovelace")
    before = mail_folder_messages(mail_folder)
    assert sum(LAST in m for m in before) >= 2
    ada_before = [m for m in before if "Ada Lovelace" in m]

    erase_person(email=EMAIL)

    after = mail_folder_messages(mail_folder)
    assert len(after) == len(before)
    assert [m for m in after if any(n.lower() in m.lower() for n in NEEDLES)] == []
    assert [m for m in after if "Ada Lovelace" in m] == ada_before


# ---------------------------------------------------------------------------------------------
# 5. Phone numbers


def test_phone_variants_cover_the_forms_people_type():
    forms = phone_variants("06 12 34 56 78")
    assert set(PHONE_FORMS) <= set(forms)
    assert "0033 6 12 34 56 78" in forms and "+33 (0)6 12 34 56 78" in forms
    assert set(PHONE_FORMS) <= set(phone_variants("+33 6 12 34 56 78"))
    assert phone_variants("12 34") == []


def test_phone_erasure_removes_the_booking_phone_from_stored_emails_and_audit_summaries(
    seed_course, staff_inbox, django_capture_on_commit_callbacks
):
    upcoming = session_with_days(timezone.localdate() + datetime.timedelta(days=20), course=seed_course)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol_one(upcoming, first=FIRST, last=LAST, address=EMAIL, phone=PHONE)
    queue_email(
        to=[STAFF],
        subject="Rappeler la stagiaire au 06.12.34.56.78",
        body_text="Elle a laissé +33 6 12 34 56 78, puis 0612345678 et +33612345678.",
        body_html="<p>Numéro : 06 12 34 56 78</p>",
    )
    record_event("enrolment.confirmed", obj=enrolment, summary="rappel demandé au 06-12-34-56-78")
    assert len(found_in_stored_texts(PHONE_FORMS + ["06-12-34-56-78"])) >= 2

    erase(django_capture_on_commit_callbacks)

    assert found_in_stored_texts(PHONE_FORMS + ["06-12-34-56-78"]) == []
    staff_message = OutboundEmail.objects.get(subject__startswith="Rappeler la stagiaire")
    assert staff_message.to == [STAFF] and "[erased]" in staff_message.body_text


# ---------------------------------------------------------------------------------------------
# 6. The staff person URL


def test_person_url_carries_no_readable_address(django_capture_on_commit_callbacks, clock):
    staff = Client()
    staff.force_login(staff_admin())
    response = staff.post(reverse("privacy:people"), {"email": EMAIL})
    assert response.status_code == 302
    url = response["Location"]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    decoded = b""
    for piece in [token, *token.split(":"), *token.split(".")]:
        try:
            decoded += base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4))
        except ValueError:
            continue
    assert EMAIL not in url and b"zoe" not in decoded.lower() and b"exemple" not in decoded.lower()
    page = staff.get(url)
    assert page.status_code == 200 and EMAIL in page.content.decode()
    assert staff.get(url.replace(token, token[:-4] + "AAAA")).status_code == 404
    clock.at(timezone.now() + PERSON_TOKEN_AGE + datetime.timedelta(minutes=1))
    assert staff.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# 7. The export


def test_export_includes_stored_messages_that_mention_the_person(seed_course, staff_inbox):
    upcoming = session_with_days(timezone.localdate() + datetime.timedelta(days=20), course=seed_course)
    enrol_one(upcoming, first=FIRST, last=LAST, address=EMAIL, phone=PHONE)
    queue_email(to=[STAFF], subject="Appel reçu", body_text="Rappeler au 06.12.34.56.78 avant vendredi.")
    queue_email(to=[STAFF], subject="Note", body_text="%s %s demande une attestation." % (FIRST, LAST))
    queue_email(to=[STAFF], subject="Sans rapport", body_text="Ada Lovelace demande un devis.")

    data = export_person(email=EMAIL)

    subjects = sorted(m["subject"] for m in data["core"]["emails_mentioning"])
    assert "Appel reçu" in subjects and "Note" in subjects and "Sans rapport" not in subjects
    assert all(EMAIL not in m["to"] for m in data["core"]["emails_mentioning"])
