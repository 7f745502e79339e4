"""E-mails of enrolment, rendered in the booking's language and queued with ``queue_email``.

Each message has a subject, a text and an HTML template under ``enrolment/email/``. Templates are
written in English with ``{% translate %}``; the French catalogue gives the French text. Subjects
are folded to one line by ``queue_email``, and recipients are bare addresses validated by the
forms, so user-typed names cannot inject headers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from academy.core.models import TrainingOrganisation
from academy.core.services import queue_email, staff_recipients
from academy.scheduling.calendar import session_calendar

from . import links
from .models import Booking, Enrolment

ICS_MIMETYPE = "text/calendar"


def _unique(addresses: Sequence[str]) -> list[str]:
    seen, result = set(), []
    for address in addresses:
        key = (address or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(address.strip())
    return result


def _send(
    template: str,
    *,
    to: Sequence[str],
    context: dict,
    language: str,
    category: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
):
    to = _unique(to)
    if not to:
        return None
    with translation.override(language):
        context = {"organisation": TrainingOrganisation.current(), "site_url": settings.SITE_URL, **context}
        subject = render_to_string("enrolment/email/%s_subject.txt" % template, context)
        body_text = render_to_string("enrolment/email/%s.txt" % template, context)
        body_html = render_to_string("enrolment/email/%s.html" % template, context)
    return queue_email(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
        category=category,
    )


def _ics(enrolment_or_session) -> list[tuple[str, bytes, str]]:
    course_session = getattr(enrolment_or_session, "course_session", enrolment_or_session)
    return [("session-%s.ics" % course_session.pk, session_calendar(course_session), ICS_MIMETYPE)]


def _session_context(course_session) -> dict:
    return {"course_session": course_session, "course": course_session.course}


def send_booking_received(booking: Booking, enrolments: Sequence[Enrolment]) -> None:
    """Tell the contact, each trainee, the accessibility referent and staff about a new booking."""
    course_session = booking.course_session
    language = booking.language
    any_confirmed = any(e.status == Enrolment.Status.CONFIRMED for e in enrolments)
    rows = [{"enrolment": e, "cancel_url": links.cancel_url(e, language=language)} for e in enrolments]
    _send(
        "booking_received",
        to=[booking.contact_email],
        context={**_session_context(course_session), "booking": booking, "rows": rows},
        language=language,
        category="enrolment.booking_received",
        attachments=_ics(course_session) if any_confirmed else (),
    )
    contact = booking.contact_email.strip().lower()
    for enrolment in enrolments:
        if enrolment.email.strip().lower() == contact:
            continue
        if enrolment.status == Enrolment.Status.CONFIRMED:
            send_enrolment_confirmed(enrolment, copy_contact=False)
        else:
            _send(
                "enrolment_waiting",
                to=[enrolment.email],
                context={
                    **_session_context(course_session),
                    "enrolment": enrolment,
                    "cancel_url": links.cancel_url(enrolment, language=language),
                },
                language=language,
                category="enrolment.waiting",
            )
    needs = [e for e in enrolments if e.accessibility_needs]
    organisation = TrainingOrganisation.current()
    if needs and organisation.accessibility_referent_email:
        _send(
            "accessibility_needs",
            to=[organisation.accessibility_referent_email],
            context={**_session_context(course_session), "booking": booking, "enrolments": needs},
            language=settings.LANGUAGE_CODE,
            category="enrolment.accessibility_needs",
        )
    _send(
        "staff_new_booking",
        to=staff_recipients(),
        context={
            **_session_context(course_session),
            "booking": booking,
            "enrolments": enrolments,
            "seats_left": course_session.seats_left(),
            "staff_url": links.staff_session_url(course_session),
        },
        language=settings.LANGUAGE_CODE,
        category="enrolment.staff_new_booking",
    )


def send_enrolment_confirmed(enrolment: Enrolment, *, copy_contact: bool = True) -> None:
    """Tell the trainee (and the contact) that the seat is confirmed, with the session's .ics."""
    booking = enrolment.booking
    to = [enrolment.email] + ([booking.contact_email] if copy_contact else [])
    _send(
        "enrolment_confirmed",
        to=to,
        context={
            **_session_context(enrolment.course_session),
            "enrolment": enrolment,
            "cancel_url": links.cancel_url(enrolment, language=booking.language),
        },
        language=booking.language,
        category="enrolment.confirmed",
        attachments=_ics(enrolment),
    )


def send_seat_offered(enrolment: Enrolment) -> None:
    """Tell a promoted waiting-list entry (and the contact) a seat is theirs until the deadline."""
    booking = enrolment.booking
    _send(
        "seat_offered",
        to=[enrolment.email, booking.contact_email],
        context={
            **_session_context(enrolment.course_session),
            "enrolment": enrolment,
            "offer_url": links.offer_url(enrolment, language=booking.language),
            "cancel_url": links.cancel_url(enrolment, language=booking.language),
        },
        language=booking.language,
        category="enrolment.seat_offered",
    )


def send_enrolment_cancelled(enrolment: Enrolment, *, by_staff: bool) -> None:
    """Tell the trainee and the contact that the enrolment is cancelled; tell staff."""
    booking = enrolment.booking
    context = {
        **_session_context(enrolment.course_session),
        "enrolment": enrolment,
        "by_staff": by_staff,
        "staff_url": links.staff_session_url(enrolment.course_session),
    }
    _send(
        "enrolment_cancelled",
        to=[enrolment.email, booking.contact_email],
        context=context,
        language=booking.language,
        category="enrolment.cancelled",
    )
    _send(
        "staff_enrolment_cancelled",
        to=staff_recipients(),
        context=context,
        language=settings.LANGUAGE_CODE,
        category="enrolment.staff_cancelled",
    )


def send_joining_instructions(enrolment: Enrolment) -> None:
    """Send the joining instructions (convocation) with the session's .ics to the trainee."""
    booking = enrolment.booking
    _send(
        "joining_instructions",
        to=[enrolment.email],
        context={
            **_session_context(enrolment.course_session),
            "enrolment": enrolment,
            "cancel_url": links.cancel_url(enrolment, language=booking.language),
        },
        language=booking.language,
        category="enrolment.joining_instructions",
        attachments=_ics(enrolment),
    )
