"""E-mails of enrolment, rendered in the booking's language and queued with ``notify``.

Each message is an e-mail event ``enrolment.<what>`` with its templates under
``templates/email/enrolment/<what>_subject.txt``, ``_body.txt`` and ``_body.html`` (see
``academy.core.notifications``). Templates are written in English with ``{% translate %}``; the
French catalogue gives the French text. Trainees and contacts are addressed by name; ``notify``
folds and encodes names, so user-typed names cannot inject headers or add a recipient.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext_lazy

from academy.core.models import TrainingOrganisation
from academy.core.notifications import notify
from academy.core.services import staff_recipients
from academy.scheduling.calendar import session_calendar

from . import links
from .models import Booking, Enrolment
from .seats import seats_left

ICS_MIMETYPE = "text/calendar"

#: E-mail events of enrolment (registered by the app's ``ready()``), with what each tells.
EMAIL_EVENTS = {
    "enrolment.booking_received": gettext_lazy("To the contact: the booking was received, with each trainee's status."),
    "enrolment.waitlisted": gettext_lazy("To a trainee: on the waiting list."),
    "enrolment.accessibility_needs": gettext_lazy("To the accessibility referent: needs stated in a booking."),
    "enrolment.staff_new_booking": gettext_lazy("To staff: a new booking."),
    "enrolment.confirmed": gettext_lazy("To a trainee (and the contact): the seat is confirmed, with the .ics."),
    "enrolment.offered": gettext_lazy(
        "To a waiting-list trainee (and the contact): a seat is offered until a deadline."
    ),
    "enrolment.cancelled": gettext_lazy("To a trainee and the contact: the enrolment is cancelled."),
    "enrolment.staff_cancelled": gettext_lazy("To staff: an enrolment was cancelled."),
    "enrolment.joining_instructions": gettext_lazy(
        "To a trainee: the joining instructions (convocation) with the .ics."
    ),
}


def _trainee(enrolment: Enrolment) -> tuple[str, str]:
    return (enrolment.full_name, enrolment.email)


def _contact(booking: Booking) -> tuple[str, str]:
    return ("%s %s" % (booking.contact_first_name, booking.contact_last_name), booking.contact_email)


def _send(
    event: str,
    *,
    to: Sequence,
    context: dict,
    language: str,
    category: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
):
    return notify(
        event=event, to=list(to), context=context, language=language, attachments=attachments, category=category
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
        "enrolment.booking_received",
        to=[_contact(booking)],
        context={
            **_session_context(course_session),
            "booking": booking,
            "rows": rows,
            "any_confirmed": any_confirmed,
            "all_confirmed": all(e.status == Enrolment.Status.CONFIRMED for e in enrolments),
        },
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
                "enrolment.waitlisted",
                to=[_trainee(enrolment)],
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
            "enrolment.accessibility_needs",
            to=[organisation.accessibility_referent_email],
            context={**_session_context(course_session), "booking": booking, "enrolments": needs},
            language=settings.LANGUAGE_CODE,
            category="enrolment.accessibility_needs",
        )
    _send(
        "enrolment.staff_new_booking",
        to=staff_recipients(),
        context={
            **_session_context(course_session),
            "booking": booking,
            "enrolments": enrolments,
            "seats_left": seats_left(course_session),
            "staff_url": links.staff_session_url(course_session),
        },
        language=settings.LANGUAGE_CODE,
        category="enrolment.staff_new_booking",
    )


def send_enrolment_confirmed(enrolment: Enrolment, *, copy_contact: bool = True) -> None:
    """Tell the trainee (and the contact) that the seat is confirmed, with the session's .ics."""
    booking = enrolment.booking
    to = [_trainee(enrolment)] + ([_contact(booking)] if copy_contact else [])
    _send(
        "enrolment.confirmed",
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
        "enrolment.offered",
        to=[_trainee(enrolment), _contact(booking)],
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
        "enrolment.cancelled",
        to=[_trainee(enrolment), _contact(booking)],
        context=context,
        language=booking.language,
        category="enrolment.cancelled",
    )
    _send(
        "enrolment.staff_cancelled",
        to=staff_recipients(),
        context=context,
        language=settings.LANGUAGE_CODE,
        category="enrolment.staff_cancelled",
    )


def send_joining_instructions(enrolment: Enrolment) -> None:
    """Send the joining instructions (convocation) with the session's .ics to the trainee."""
    booking = enrolment.booking
    _send(
        "enrolment.joining_instructions",
        to=[_trainee(enrolment)],
        context={
            **_session_context(enrolment.course_session),
            "enrolment": enrolment,
            "cancel_url": links.cancel_url(enrolment, language=booking.language),
        },
        language=booking.language,
        category="enrolment.joining_instructions",
        attachments=_ics(enrolment),
    )
