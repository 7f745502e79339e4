"""Two client organisations, each with one object of every kind the API serves."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from academy.api.models import ApiToken
from academy.certification.models import Certificate
from academy.commerce.models import Agreement, Quote
from academy.invoicing.models import Invoice
from academy.privacy.models import ClientContact
from academy.scheduling.models import CourseSession
from tests.factories.api import api_token
from tests.factories.attendance import AttendanceFactory
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import answer_end_survey
from tests.factories.privacy import LeadFactory, UserFactory
from tests.factories.scheduling import add_day, session_with_days

DAY = datetime.date(2027, 3, 30)


@dataclass
class Owned:
    """One client organisation and the ids of its objects, by API collection."""

    organisation: object
    ids: dict[str, int] = field(default_factory=dict)
    raw_token: str = ""


def build_owned(name: str, number: int) -> Owned:
    organisation = ClientOrganisationFactory(name=name)
    in_company = session_with_days(DAY, kind=CourseSession.Kind.IN_COMPANY, client_organisation=organisation)
    shared = session_with_days(DAY)
    enrolment = EnrolmentFactory(booking__course_session=shared, booking__client_organisation=organisation)
    slot = add_day(in_company, DAY + datetime.timedelta(days=1))[0]
    attendance = AttendanceFactory(
        slot=slot, enrolment__booking__course_session=in_company, enrolment__booking__client_organisation=organisation
    )
    certificate = Certificate.objects.create(
        public_id=uuid.uuid4().hex,
        enrolment=enrolment,
        holder_name=enrolment.full_name,
        course_title=shared.course.title,
        issuer_name="Académie Exemple",
        first_date=DAY,
        last_date=DAY,
        hours=Decimal("7"),
        place="Paris",
        issued_at=timezone.now(),
    )
    quote = Quote.objects.create(
        client_organisation=organisation, organisation_name=name, status=Quote.Status.ISSUED, issued_at=timezone.now()
    )
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.AGREEMENT,
        status=Agreement.Status.ISSUED,
        client_organisation=organisation,
        party_name=name,
        issued_at=timezone.now(),
    )
    invoice = Invoice.objects.create(
        status=Invoice.Status.ISSUED,
        number="F-2027-%05d" % number,
        issue_date=DAY,
        issued_at=timezone.now(),
        payer_kind=Invoice.PayerKind.CLIENT,
        bill_to_name=name,
        bill_to_address="1 rue X, Paris",
        client_organisation=organisation,
    )
    contact = ClientContact.objects.create(user=UserFactory(), client_organisation=organisation)
    return Owned(
        organisation=organisation,
        ids={
            "sessions": in_company.pk,
            "bookings": enrolment.booking_id,
            "enrolments": enrolment.pk,
            "attendance": attendance.pk,
            "certificates": certificate.pk,
            "quotes": quote.pk,
            "agreements": agreement.pk,
            "invoices": invoice.pk,
            "organisations": organisation.pk,
            "contacts": contact.pk,
        },
    )


@dataclass
class TokenWorld:
    mine: Owned
    theirs: Owned
    staff_only: dict[str, int]


def build_token_world() -> TokenWorld:
    mine, theirs = build_owned("Ma Société", 1), build_owned("Autre Société", 2)
    mine.raw_token = api_token(ApiToken.Scope.CLIENT, organisation=mine.organisation)[1]
    response = answer_end_survey(session_with_days(DAY))
    staff_only = {"leads": LeadFactory().pk, "evaluation-responses": response.pk}
    return TokenWorld(mine=mine, theirs=theirs, staff_only=staff_only)
