"""One notification path: every e-mail event renders in French and English, names survive, nothing injects."""

from __future__ import annotations

import email
import email.policy
import re
from decimal import Decimal

import pytest
from django.core import mail

from academy.catalog.models import Lead
from academy.core.models import OutboundEmail
from academy.core.notifications import NotificationError, email_events, notify, render_event, template_names
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.core import TrainingOrganisationFactory

pytestmark = pytest.mark.django_db

ZOE = ("Ñúñez-Łukasiewicz, Zoë", "zoe@exemple.fr")


def _enrolment_context():
    course_session = open_session(capacity_seats=1)
    booking = enrol_people(course_session, trainee(1), trainee(2))
    confirmed, waiting = booking.enrolments.order_by("pk")
    base = {"course_session": course_session, "course": course_session.course, "booking": booking}
    return {
        **base,
        "rows": [{"enrolment": e, "cancel_url": "https://exemple.fr/annuler"} for e in (confirmed, waiting)],
        "enrolment": confirmed,
        "enrolments": [confirmed, waiting],
        "cancel_url": "https://exemple.fr/annuler",
        "offer_url": "https://exemple.fr/accepter",
        "staff_url": "https://exemple.fr/staff",
        "seats_left": 0,
        "by_staff": True,
    }


def _lead_context():
    course = open_session().course
    lead = Lead.objects.create(
        kind=Lead.Kind.QUOTE,
        course=course,
        first_name="Zoë",
        last_name="Núñez",
        email="zoe@exemple.fr",
        message="Bonjour",
    )
    return {"lead": lead, "course": course, "kind": "devis", "name": "Zoë Núñez", "greeting_name": "Zoë"}


def _evaluation_context():
    enrolment = _enrolment_context()["enrolment"]
    return {
        "enrolment": enrolment,
        "course": enrolment.course_session.course,
        "links": [{"label": "Questionnaire", "url": "https://exemple.fr/q", "closes_at": "30 mars 2027"}],
        "reminder": False,
        "positioning_before": True,
    }


SIMPLE = {"name": "Zoë Núñez", "course": "Les communs numériques", "date": "30/03/2027", "start": "09:00"}


def _invoice_reminder_context():
    import datetime

    from academy.invoicing.models import Invoice

    invoice = Invoice(
        number="2027-000042",
        issue_date=datetime.date(2027, 3, 1),
        due_date=datetime.date(2027, 3, 31),
        total_gross=Decimal("1200.00"),
    )
    return {"invoice": invoice, "balance": Decimal("1200.00"), "days_late": 5, "late_payment": "Pénalités."}


def _quote_context():
    import datetime

    from academy.commerce.models import Quote

    quote = Quote(reference="D-2027-0001", contact_name="Zoë Núñez", valid_until=datetime.date(2027, 3, 30))
    return {"quote": quote, "answer_url": "https://exemple.fr/devis/repondre"}


def _agreement_context():
    from academy.commerce.models import Agreement

    agreement = Agreement(kind=Agreement.Kind.AGREEMENT, title="Les communs numériques")
    return {"agreement": agreement, "sign_url": "https://exemple.fr/convention/signer"}


def _absence_context():
    import datetime

    from tests.factories.scheduling import SessionSlotFactory, paris

    course_session = open_session()
    booking = enrol_people(course_session, trainee(1))
    slot = SessionSlotFactory(
        course_session=course_session,
        starts_at=paris(2027, 4, 2, 14),
        ends_at=paris(2027, 4, 2, 14) + datetime.timedelta(hours=3, minutes=30),
    )
    return {"enrolment": booking.enrolments.get(), "course": course_session.course, "slot": slot}


def _feedback_context():
    course_session = open_session()
    return {
        "course": course_session.course,
        "course_session": course_session,
        "kind_label": "Questionnaire entreprise cliente",
        "url": "https://exemple.fr/evaluation/feedback/x/",
    }


def _complaint_context():
    import datetime

    from django.utils import timezone

    from academy.compliance.models import Complaint

    complaint = Complaint.objects.create(
        reference="R-2027-0001",
        source=Complaint.Source.CLIENT,
        name="Zoë Ñúñez-Łukasiewicz",
        email="zoe@exemple.fr",
        organisation_name="Coopérative Ñandú",
        subject="Salle trop bruyante",
        description="Des travaux tout l’après-midi.",
        answer="Nous changeons de salle.",
        received_at=timezone.now(),
        answer_due_on=datetime.date(2027, 4, 14),
    )
    return {"complaint": complaint, "due_on": complaint.answer_due_on}


#: A sample context for every e-mail event; an event missing here fails the enumeration test.
SAMPLES = {
    "attendance.absence_follow_up": _absence_context,
    "evaluation.stakeholder_invitation": _feedback_context,
    "compliance.complaint_acknowledged": _complaint_context,
    "compliance.complaint_received": _complaint_context,
    "compliance.complaint_answered": _complaint_context,
    "lead.acknowledgement": _lead_context,
    "lead.staff_notification": _lead_context,
    "enrolment.booking_received": _enrolment_context,
    "enrolment.waitlisted": _enrolment_context,
    "enrolment.accessibility_needs": _enrolment_context,
    "enrolment.staff_new_booking": _enrolment_context,
    "enrolment.confirmed": _enrolment_context,
    "enrolment.offered": _enrolment_context,
    "enrolment.cancelled": _enrolment_context,
    "enrolment.staff_cancelled": _enrolment_context,
    "enrolment.joining_instructions": _enrolment_context,
    "evaluation.invitation": _evaluation_context,
    "attendance.signing_link": lambda: {**SIMPLE, "end": "12:30", "url": "https://exemple.fr/signer"},
    "invoicing.payment_reminder": lambda: _invoice_reminder_context(),
    "certificate.issued": lambda: {
        **SIMPLE,
        "hours": "7",
        "verify": "https://exemple.fr/verifier",
        "download": "https://exemple.fr/telecharger",
    },
    "commerce.quote_issued": _quote_context,
    "commerce.agreement_issued": _agreement_context,
    "clientspace.document_shared": lambda: {
        **SIMPLE,
        "kind": "certificate",
        "holder": "Zoë Núñez",
        "organisation_name": "Coopérative Ñandú",
    },
}

LEFTOVER = re.compile(r"\{\{|\{%|%\(\w+\)s|\bNone\b")


def test_every_email_event_of_every_app_is_registered_and_has_a_sample():
    assert set(email_events()) == set(SAMPLES)
    assert {event.app_label for event in email_events().values()} == {
        "catalog",
        "enrolment",
        "evaluation",
        "attendance",
        "certification",
        "invoicing",
        "commerce",
        "clientspace",
        "compliance",
    }


def test_an_event_name_maps_to_one_template_folder_per_area():
    assert template_names("enrolment.confirmed") == {
        "subject": "email/enrolment/confirmed_subject.txt",
        "body_text": "email/enrolment/confirmed_body.txt",
        "body_html": "email/enrolment/confirmed_body.html",
    }


@pytest.mark.parametrize("event", sorted(SAMPLES))
def test_every_email_event_renders_in_french_and_english_with_no_placeholder_left(event):
    TrainingOrganisationFactory(name="Académie des Communs")
    context = SAMPLES[event]()
    french = render_event(event, context=context, language="fr")
    english = render_event(event, context=context, language="en")
    for rendered in (french, english):
        assert rendered["subject"].strip() and rendered["body_text"].strip()
        for part in rendered.values():
            assert not LEFTOVER.search(part), part
    assert french["subject"] != english["subject"], "the French subject of %s is not translated" % event
    assert french["body_text"] != english["body_text"], "the French body of %s is not translated" % event
    # French typography: a space before the colon of a label ("Auto-positionnement :").
    unspaced = re.findall(r"[^\W\d_]:(?:\n|$)", re.sub(r"\bhttps?:", "", french["body_text"]), re.M)
    assert unspaced == [], "a French colon without its space in %s" % event


def test_a_display_name_with_accents_and_a_comma_is_delivered_intact_to_exactly_one_recipient(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="attendance.signing_link", to=[ZOE], context={**SIMPLE, "end": "12:30", "url": "https://x.fr"})
    [sent] = mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    [address] = parsed["To"].addresses
    assert (address.display_name, address.addr_spec) == ZOE
    assert sent.recipients() == ["zoe@exemple.fr"]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


@pytest.mark.parametrize(
    "name",
    [
        "Zoë\r\nBcc: evil@attaquant.exemple",
        'Zoë" <evil@attaquant.exemple>, "Eve',
        "Zoë <evil@attaquant.exemple>, Eve <eve@attaquant.exemple>",
        "Zoë\x00\x1b;evil@attaquant.exemple",
    ],
)
def test_a_display_name_can_never_add_a_header_or_a_second_recipient(name, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="attendance.signing_link",
            to=[(name, "zoe@exemple.fr")],
            context={**SIMPLE, "end": "12:30", "url": "https://x.fr"},
        )
    [sent] = mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert [a.addr_spec for a in parsed["To"].addresses] == ["zoe@exemple.fr"]
    assert sent.recipients() == ["zoe@exemple.fr"]


def test_an_invalid_recipient_address_is_refused_with_its_value():
    with pytest.raises(
        NotificationError, match="Not a valid e-mail address for a recipient: 'zoe@exemple.fr, eve@x.fr'"
    ):
        notify(event="attendance.signing_link", to=["zoe@exemple.fr, eve@x.fr"], context=dict(SIMPLE))
    assert not OutboundEmail.objects.exists()


def test_an_unregistered_event_is_refused():
    with pytest.raises(NotificationError, match="Unknown e-mail event 'invoice.issued'"):
        notify(event="invoice.issued", to=["zoe@exemple.fr"])


def test_the_same_address_twice_is_one_recipient_and_no_address_queues_nothing():
    context = {**SIMPLE, "end": "12:30", "url": "https://x.fr"}
    message = notify(event="attendance.signing_link", to=["Zoe@Exemple.fr", ZOE], context=context)
    assert message.to == ["Zoe@Exemple.fr"]
    assert notify(event="attendance.signing_link", to=["", ("Nobody", "")], context=context) is None


def test_the_message_is_rendered_in_the_language_asked_and_french_by_default():
    context = {**SIMPLE, "end": "12:30", "url": "https://x.fr"}
    assert notify(event="attendance.signing_link", to=[ZOE], context=context).subject.startswith("Signez la feuille")
    english = notify(event="attendance.signing_link", to=[ZOE], context=context, language="en")
    assert english.subject == "Sign the attendance sheet: Les communs numériques, 30/03/2027"


def test_one_name_and_address_pair_or_a_tuple_of_addresses_are_both_understood():
    context = {**SIMPLE, "end": "12:30", "url": "https://x.fr"}
    single = notify(event="attendance.signing_link", to=ZOE, context=context)
    assert (single.to, single.display_names) == (["zoe@exemple.fr"], {"zoe@exemple.fr": ZOE[0]})
    two = notify(event="attendance.signing_link", to=("a@exemple.fr", "b@exemple.fr"), context=context)
    assert (two.to, two.display_names) == (["a@exemple.fr", "b@exemple.fr"], {})
