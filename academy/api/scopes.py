"""What each token sees: one queryset per resource, narrowed to a client organisation's own data.

A client-scoped token finds another organisation's object exactly as it finds an unknown one
(404), as the client space does (``academy.clientspace.services``). Read-only and planner tokens
see what a planner sees.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from academy.attendance.models import Attendance
from academy.catalog.models import Course, Lead
from academy.certification.models import Certificate
from academy.clientspace import services as clientspace
from academy.commerce.models import Agreement, Quote
from academy.core.models import ClientOrganisation
from academy.enrolment.models import Booking, Enrolment
from academy.enrolment.seats import with_seat_counts
from academy.evaluation.models import Response
from academy.invoicing.models import Invoice
from academy.privacy.models import ClientContact
from academy.scheduling.models import CourseSession

from .models import ApiToken


def organisation_of(token: ApiToken) -> int | None:
    """The id of the client organisation a client-scoped token is limited to, else None."""
    return token.client_organisation_id if token.scope == ApiToken.Scope.CLIENT else None


def _of_organisation(queryset: QuerySet, token: ApiToken, lookup: str) -> QuerySet:
    """``queryset`` in id order, limited by ``lookup`` to a client-scoped token's organisation."""
    org = organisation_of(token)
    if org is not None:
        queryset = queryset.filter(**{lookup: org})
    return queryset.order_by("pk")


def courses(token: ApiToken) -> QuerySet[Course]:
    queryset = Course.objects.select_related("domain")
    if organisation_of(token) is not None:
        queryset = queryset.filter(status=Course.Status.PUBLISHED)
    return queryset.order_by("pk")


def sessions(token: ApiToken) -> QuerySet[CourseSession]:
    queryset = with_seat_counts(CourseSession.objects.with_dates()).select_related("course").prefetch_related("slots")
    org = organisation_of(token)
    if org is not None:
        public = Q(kind=CourseSession.Kind.INTER_COMPANY, course__status=Course.Status.PUBLISHED) & ~Q(
            status=CourseSession.Status.DRAFT
        )
        queryset = queryset.filter(public | Q(client_organisation_id=org))
    return queryset.order_by("pk")


def bookings(token: ApiToken) -> QuerySet[Booking]:
    return _of_organisation(
        Booking.objects.select_related("course_session").prefetch_related("enrolments"), token, "client_organisation_id"
    )


def enrolments(token: ApiToken) -> QuerySet[Enrolment]:
    return _of_organisation(Enrolment.objects.select_related("booking"), token, "booking__client_organisation_id")


def attendance(token: ApiToken) -> QuerySet[Attendance]:
    return _of_organisation(
        Attendance.objects.select_related("slot", "enrolment"), token, "enrolment__booking__client_organisation_id"
    )


def certificates(token: ApiToken) -> QuerySet[Certificate]:
    return _of_organisation(
        Certificate.objects.select_related("enrolment"), token, "enrolment__booking__client_organisation_id"
    )


def evaluation_responses(token: ApiToken) -> QuerySet[Response]:
    """Questionnaire responses: staff scopes only (a trainee's answers are not their employer's)."""
    queryset = Response.objects.prefetch_related("answers__question")
    if organisation_of(token) is not None:
        return queryset.none()
    return queryset.order_by("pk")


def leads(token: ApiToken) -> QuerySet[Lead]:
    """Requests (quote, customisation, interest, contact): staff scopes only."""
    if organisation_of(token) is not None:
        return Lead.objects.none()
    return Lead.objects.select_related("course").order_by("pk")


def quotes(token: ApiToken) -> QuerySet[Quote]:
    org = organisation_of(token)
    queryset = clientspace.quotes_of(org) if org is not None else Quote.objects.all()
    return queryset.select_related("course").prefetch_related("lines").order_by("pk")


def agreements(token: ApiToken) -> QuerySet[Agreement]:
    org = organisation_of(token)
    queryset = clientspace.agreements_of(org) if org is not None else Agreement.objects.all()
    return queryset.defer("pdf").order_by("pk")


def invoices(token: ApiToken) -> QuerySet[Invoice]:
    org = organisation_of(token)
    queryset = clientspace.invoices_of(org) if org is not None else Invoice.objects.all()
    return queryset.prefetch_related("lines", "payments").order_by("pk")


def organisations(token: ApiToken) -> QuerySet[ClientOrganisation]:
    org = organisation_of(token)
    queryset = ClientOrganisation.objects.all()
    if org is not None:
        queryset = queryset.filter(pk=org)
    return queryset.order_by("pk")


def contacts(token: ApiToken) -> QuerySet[ClientContact]:
    return _of_organisation(ClientContact.objects.select_related("user"), token, "client_organisation_id")
