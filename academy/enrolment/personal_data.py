"""Right of access and erasure for enrolment data (GDPR art. 15 and 17).

A person is found by normalised e-mail as a trainee (Enrolment) and as a contact (Booking).
Erasure anonymises the records rather than deleting them, so session counts, fill rates and
waiting-list order stay right; the client organisation (a legal person) is kept.
"""

from __future__ import annotations

from django.db import transaction

from academy.core.notifications import ERASED_DOMAIN, erased_address
from academy.core.text import normalise_email
from academy.privacy.registry import PersonalDataProvider
from academy.privacy.scrub import phone_variants

from .models import Booking, Enrolment

ANONYMOUS = "—"
# Erased enrolments get an address on ``ERASED_DOMAIN``, reserved (RFC 2606): no one can own it,
# and ``academy.core.notifications`` never writes to it.


def erased_enrolments():
    """Return the enrolments anonymised by an erasure (apps holding retained evidence purge it later)."""
    return Enrolment.objects.filter(email_normalised__endswith="@" + ERASED_DOMAIN)


def _bookings_of(email_normalised: str) -> list[Booking]:
    # contact_email is stored stripped, as typed: narrow case-insensitively, then compare normalised.
    return [
        booking
        for booking in Booking.objects.filter(contact_email__iexact=email_normalised)
        if normalise_email(booking.contact_email) == email_normalised
    ]


def export(email_normalised: str) -> dict:
    """Return the enrolments and bookings of the person (JSON-serialisable); {} when none."""
    enrolments = Enrolment.objects.filter(email_normalised=email_normalised).select_related("course_session__course")
    data: dict = {}
    if enrolments:
        data["enrolments"] = [
            {
                "course": e.course_session.course.title,
                "session": e.course_session.pk,
                "first_name": e.first_name,
                "last_name": e.last_name,
                "email": e.email,
                "job_title": e.job_title,
                "accessibility_needs": e.accessibility_needs,
                "trainee_category": e.trainee_category,
                "work_context": e.work_context,
                "expectations": e.expectations,
                "adaptations": [
                    {
                        "requested": a.requested,
                        "decision": a.decision,
                        "decided_at": a.decided_at.isoformat() if a.decided_at else None,
                    }
                    for a in e.adaptations.all()
                ],
                "dropped_out_at": e.dropped_out_at.isoformat() if e.dropped_out_at else None,
                "dropout_reason": e.dropout_reason,
                "status": e.status,
                "created_at": e.created_at.isoformat(),
                "confirmed_at": e.confirmed_at.isoformat() if e.confirmed_at else None,
                "cancelled_at": e.cancelled_at.isoformat() if e.cancelled_at else None,
            }
            for e in enrolments
        ]
    bookings = _bookings_of(email_normalised)
    if bookings:
        data["bookings_as_contact"] = [
            {
                "session": b.course_session_id,
                "first_name": b.contact_first_name,
                "last_name": b.contact_last_name,
                "email": b.contact_email,
                "phone": b.contact_phone,
                "funding": b.funding,
                "funder_name": b.funder_name,
                "terms_accepted_at": b.terms_accepted_at.isoformat(),
                "trainees": b.enrolments.count(),
            }
            for b in bookings
        ]
    return data


def identify(email_normalised: str) -> list[str]:
    """Return what identifies the person here: names ("First Last", "Last First") and phone numbers.

    Phone numbers are those given as a booking contact, in the forms people type them
    (``academy.privacy.scrub.phone_variants``).
    """
    pairs = set(Enrolment.objects.filter(email_normalised=email_normalised).values_list("first_name", "last_name"))
    bookings = _bookings_of(email_normalised)
    pairs.update((b.contact_first_name, b.contact_last_name) for b in bookings)
    names = []
    for first, last in sorted(pairs):
        names.extend(["%s %s" % (first, last), "%s %s" % (last, first)])
    for booking in bookings:
        names.extend(phone_variants(booking.contact_phone))
    return names


def withdraw(email_normalised: str, by=None) -> int:
    """Cancel the person's live enrolments on sessions that have not started; return how many.

    Goes through ``services.cancel_enrolment``, so each freed seat is offered to the waiting list
    with its usual e-mails and audit events, before the enrolments are anonymised.
    """
    from django.utils import timezone
    from django.utils.translation import gettext

    from .services import cancel_enrolment

    now = timezone.now()
    live = (
        Enrolment.objects.filter(email_normalised=email_normalised)
        .exclude(status=Enrolment.Status.CANCELLED)
        .select_related("course_session")
        .order_by("pk")
    )
    cancelled = 0
    for enrolment in live:
        if not enrolment.course_session.has_started(now):
            cancel_enrolment(
                enrolment=enrolment, by=by, reason=gettext("Personal data erased at the person's request.")
            )
            cancelled += 1
    return cancelled


@transaction.atomic
def erase(email_normalised: str) -> int:
    """Anonymise the person's enrolments and bookings, keeping statuses and counts; return how many.

    The trainee category stays: once the person is anonymised it only feeds the yearly report's
    counts (BPF frame F-1), which the organisation must keep.
    """
    changed = 0
    for enrolment in Enrolment.objects.select_for_update().filter(email_normalised=email_normalised):
        enrolment.first_name = ANONYMOUS
        enrolment.last_name = ANONYMOUS
        enrolment.email = erased_address(enrolment.pk)
        enrolment.job_title = ""
        enrolment.accessibility_needs = ""
        enrolment.work_context = ""
        enrolment.expectations = ""
        enrolment.dropout_detail = ""
        enrolment.adaptations.update(requested=ANONYMOUS, decision="")
        enrolment.adaptations.exclude(decided_at=None).update(decision=ANONYMOUS)
        enrolment.save()  # recomputes email_normalised: the old address no longer matches
        changed += 1
    for booking in _bookings_of(email_normalised):
        booking.contact_first_name = ANONYMOUS
        booking.contact_last_name = ANONYMOUS
        booking.contact_email = erased_address("contact-%s" % booking.pk)
        booking.contact_phone = ""
        booking.save(
            update_fields=["contact_first_name", "contact_last_name", "contact_email", "contact_phone", "updated_at"]
        )
        changed += 1
    return changed


PROVIDER = PersonalDataProvider(
    "enrolment",
    export=export,
    erase=erase,
    identify=identify,
    withdraw=withdraw,
    retained=["Enrolment statuses and dates, anonymised: session counts and waiting-list order (legitimate interest)."],
)
