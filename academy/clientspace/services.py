"""What a client contact may see: every query is scoped to the contact's own organisation.

A document of another organisation is simply not found, so the pages answer it exactly as an
unknown document (404): the contact learns nothing about other clients.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from academy.commerce.models import Agreement, Quote
from academy.enrolment.models import Booking
from academy.invoicing.models import Invoice
from academy.scheduling.models import CourseSession

from .models import DocumentSharing

#: Most recent documents of each kind listed on the page.
MAX_ROWS = 100


def quotes_of(organisation_id: int) -> QuerySet[Quote]:
    """The organisation's quotes that were sent to it (issued, answered or revised), newest first."""
    return (
        Quote.objects.filter(client_organisation_id=organisation_id)
        .exclude(status=Quote.Status.DRAFT)
        .select_related("course")
        .order_by("-issued_at", "-pk")
    )


def agreements_of(organisation_id: int) -> QuerySet[Agreement]:
    """The organisation's agreements and contracts once issued (a draft is still being prepared)."""
    return (
        Agreement.objects.filter(
            Q(client_organisation_id=organisation_id) | Q(booking__client_organisation_id=organisation_id)
        )
        .exclude(status=Agreement.Status.DRAFT)
        .order_by("-issued_at", "-pk")
    )


def invoices_of(organisation_id: int) -> QuerySet[Invoice]:
    """The issued invoices and credit notes billed to the organisation itself, newest first."""
    return (
        Invoice.objects.filter(client_organisation_id=organisation_id, number__isnull=False)
        .prefetch_related("payments")
        .order_by("-issued_at", "-pk")
    )


def funder_invoices_of(organisation_id: int) -> QuerySet[Invoice]:
    """Issued invoices of the organisation's bookings billed to a funder (an OPCO paying directly).

    The contact sees that the funder was invoiced and whether it paid (the rest is theirs to
    pay); the document itself is addressed to the funder and is not offered for download.
    """
    return (
        Invoice.objects.filter(booking__client_organisation_id=organisation_id, number__isnull=False)
        .exclude(client_organisation_id=organisation_id)
        .prefetch_related("payments")
        .order_by("-issued_at", "-pk")
    )


def bookings_of(organisation_id: int) -> QuerySet[Booking]:
    """The organisation's bookings, newest first, with their session and course."""
    return (
        Booking.objects.filter(client_organisation_id=organisation_id)
        .select_related("course_session__course")
        .order_by("-pk")
    )


def sheet_sessions_of(organisation_id: int) -> QuerySet[CourseSession]:
    """Sessions whose attendance sheet the contact may download: those run for the organisation alone.

    An inter-company sheet lists the trainees of other organisations too, so it is never offered.
    Nothing when staff chose not to share the documents with the contact.
    """
    if not DocumentSharing.for_organisation(organisation_id).to_contact:
        return CourseSession.objects.none()
    return CourseSession.objects.filter(client_organisation_id=organisation_id).select_related("course").order_by("-pk")


def open_sessions() -> list[CourseSession]:
    """Inter-company sessions open for enrolment now, for the contact to enrol more trainees."""
    return list(CourseSession.objects.open_for_enrolment().select_related("course").order_by("pk")[:MAX_ROWS])
