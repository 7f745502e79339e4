"""Draft the invoices of a booking, or of every booking of a session, from their funding shares.

Commerce says who pays what (``academy.commerce.funding.shares_for``); each share becomes one draft
invoice here: an OPCO share keeps its funding agreement number and its direct payment
(subrogation), the client or the person pays the rest. Staff then check and issue the drafts on
the invoice pages. Drafting again is harmless: a payer that already has a live invoice (draft or
issued, not cancelled by a credit note) for the booking gets no second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy.commerce.funding import billed_enrolments, shares_for

from .exceptions import InvoiceError
from .models import Invoice
from .services import draft_from_funding_share


@dataclass
class DraftOutcome:
    """What drafting did: ``created`` invoices, ``skipped`` payers already invoiced, ``errors`` per booking.

    ``skipped`` and ``errors`` hold messages ready to show to staff.
    """

    created: list[Invoice] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _payer_key(payer_kind: str, name: str, client_organisation_id) -> tuple:
    return (payer_kind, (name or "").strip().casefold(), client_organisation_id)


def invoiced_payers(booking) -> set[tuple]:
    """The payers of ``booking`` that already have a live invoice (draft, issued or paid, not credited)."""
    live = booking.invoices.filter(kind=Invoice.Kind.INVOICE).exclude(status=Invoice.Status.CREDITED)
    return {
        _payer_key(kind, name, org)
        for kind, name, org in live.values_list("payer_kind", "bill_to_name", "client_organisation_id")
    }


def line_description(booking) -> str:
    """The invoice line of a booking: course, session dates and number of trainees, in the active language."""
    session = booking.course_session
    trainees = billed_enrolments(booking).count()
    days = session.local_days()
    start = formats.date_format(days[0]["date"], "SHORT_DATE_FORMAT") if days else "—"
    return ngettext(
        "Training « %(course)s », session of %(start)s, %(count)d trainee",
        "Training « %(course)s », session of %(start)s, %(count)d trainees",
        trainees,
    ) % {"course": session.course.title, "start": start, "count": trainees}


def draft_invoices_for_booking(booking, *, actor=None, outcome: DraftOutcome | None = None) -> DraftOutcome:
    """Draft one invoice per funding share of ``booking`` not yet invoiced; return the ``DraftOutcome``.

    All the booking's drafts are saved or none: an ``InvoiceError`` on one share (say, a payer
    with no billing address) is recorded in ``outcome.errors`` with the booking named, and no
    draft of that booking is kept.
    """
    outcome = outcome if outcome is not None else DraftOutcome()
    who = "%s %s" % (booking.contact_first_name, booking.contact_last_name)
    if booking.client_organisation_id:
        who = booking.client_organisation.name
    shares = shares_for(booking)
    if not shares:
        outcome.errors.append(
            _("Booking of %(who)s: no price and no funding, nothing to invoice.") % {"who": who.strip()}
        )
        return outcome
    done = invoiced_payers(booking)
    description = line_description(booking)
    created = []
    try:
        with transaction.atomic():
            for share in shares:
                if _payer_key(share.payer_kind, share.payer_name, share.client_organisation_id) in done:
                    outcome.skipped.append(
                        _("Booking of %(who)s: %(payer)s already has an invoice.")
                        % {"who": who.strip(), "payer": share.payer_name}
                    )
                    continue
                created.append(
                    draft_from_funding_share(
                        share,
                        description=description,
                        booking=booking,
                        course_session=booking.course_session,
                        actor=actor,
                    )
                )
    except InvoiceError as exc:
        outcome.errors.append(_("Booking of %(who)s: %(error)s") % {"who": who.strip(), "error": exc})
        return outcome
    outcome.created.extend(created)
    return outcome


def draft_invoices_for_session(course_session, *, actor=None) -> DraftOutcome:
    """Draft the invoices of every booking of ``course_session`` that has confirmed trainees.

    Each booking is drafted on its own (``draft_invoices_for_booking``): one booking's error does
    not hold back the others. Returns the combined ``DraftOutcome``.
    """
    outcome = DraftOutcome()
    bookings = course_session.bookings.select_related("client_organisation", "course_session__course").order_by("pk")
    for booking in bookings:
        if billed_enrolments(booking).exists():
            draft_invoices_for_booking(booking, actor=actor, outcome=outcome)
    return outcome
