"""A year of activity for the yearly report (BPF) tests, built through the real models and services.

The organisation's financial year runs from 1 July 2026 to 30 June 2027. Slots are 09:00–12:00
(3 h) and 13:00–17:00 (4 h), Paris time, so that hours are easy to add by hand.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from academy.attendance.models import Attendance
from academy.catalog.models import Course
from academy.commerce.models import FundingType
from academy.enrolment.models import TraineeCategory
from academy.invoicing.services import BillTo, LineData, create_draft, credit_invoice, issue_invoice
from academy.scheduling.models import CourseSession, Trainer
from tests.clock import CLOCK
from tests.factories.attendance import sign_slot
from tests.factories.catalog import CourseFactory
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import CourseSessionFactory, SessionSlotFactory, TrainerFactory, paris


def day(course_session: CourseSession, date: datetime.date) -> list:
    """Two slots on ``date``: 09:00–12:00 and 13:00–17:00 (Paris)."""
    return [
        SessionSlotFactory(
            course_session=course_session,
            starts_at=paris(date.year, date.month, date.day, 9),
            ends_at=paris(date.year, date.month, date.day, 12),
        ),
        SessionSlotFactory(
            course_session=course_session,
            starts_at=paris(date.year, date.month, date.day, 13),
            ends_at=paris(date.year, date.month, date.day, 17),
        ),
    ]


def trainee(course_session, category, name):
    return EnrolmentFactory(
        booking__course_session=course_session,
        first_name=name,
        last_name="Stagiaire",
        email="%s@exemple.fr" % name.lower(),
        trainee_category=category,
    )


def invoice(on: datetime.date, amount: str, funding_type: str, *, payer_kind="client", name="Client", **extra):
    """Issue, on ``on``, an invoice of one VAT-exempt training line of ``amount`` € excl. VAT."""
    CLOCK.at(paris(on.year, on.month, on.day, 10))
    draft = create_draft(
        bill_to=BillTo(
            payer_kind=payer_kind,
            name=name,
            address="1, rue du Test\n75001 Paris",
            funding_type=funding_type,
            **extra,
        ),
        lines=[LineData("Formation", Decimal("1"), Decimal(amount), "E", Decimal("0"), "")],
    )
    return issue_invoice(draft)


def build_year() -> SimpleNamespace:
    """Build the year; return its objects. The expected figures are written by hand in the tests."""
    organisation = TrainingOrganisationFactory(fiscal_year_start_month=7)
    internal = TrainerFactory(first_name="Inès", employment=Trainer.Employment.INTERNAL)
    external = TrainerFactory(first_name="Eric", employment=Trainer.Employment.EXTERNAL)
    partner_trainer = TrainerFactory(first_name="Paul", employment=Trainer.Employment.EXTERNAL)

    commons = CourseFactory(code="DNOCO", general_objective=Course.GeneralObjective.OTHER, nsf_code="326")
    certified = CourseFactory(code="CERT", general_objective=Course.GeneralObjective.SPECIFIC_REGISTER, nsf_code="315")
    management = CourseFactory(code="MGMT", general_objective=Course.GeneralObjective.OTHER, nsf_code="413")

    # S1: two days of DNOCO in October 2026, delivered by the internal trainer (4 slots, 14 h).
    s1 = CourseSessionFactory(course=commons)
    m1, a1 = day(s1, datetime.date(2026, 10, 12))
    m2, a2 = day(s1, datetime.date(2026, 10, 13))
    e1 = trainee(s1, TraineeCategory.PRIVATE_EMPLOYEE, "Alice")
    e2 = trainee(s1, TraineeCategory.PRIVATE_EMPLOYEE, "Bruno")
    e3 = trainee(s1, TraineeCategory.INDIVIDUAL, "Chloe")
    e4 = trainee(s1, TraineeCategory.JOB_SEEKER, "Driss")
    e5 = trainee(s1, TraineeCategory.PRIVATE_EMPLOYEE, "Emma")
    for slot in (m1, a1, m2, a2):
        for enrolment in (e1, e2, e4):
            sign_slot(slot, enrolment, internal)
    for slot in (m1, a1, m2):
        sign_slot(slot, e3, internal)
    # Chloé is absent on the last afternoon: no signature, the absence recorded.
    Attendance.objects.create(slot=a2, enrolment=e3, status=Attendance.Status.ABSENT)
    # Driss arrived 30 minutes late on the first morning.
    Attendance.objects.create(
        slot=m1, enrolment=e4, status=Attendance.Status.LATE, arrived_at=paris(2026, 10, 12, 9, 30)
    )
    # Emma signed the mornings only; the afternoons are marked present by staff but not signed.
    for slot in (m1, m2):
        sign_slot(slot, e5, internal)
    for slot in (a1, a2):
        Attendance.objects.create(slot=slot, enrolment=e5, status=Attendance.Status.PRESENT)

    # S2: one day of CERT in January 2027, remote only, delivered by the external trainer (7 h).
    s2 = CourseSessionFactory(course=certified, venue_address="", remote_url="https://visio.exemple/cert")
    e6 = trainee(s2, TraineeCategory.PUBLIC_EMPLOYEE, "Farid")
    e7 = trainee(s2, TraineeCategory.OTHER, "Gaelle")
    for slot in day(s2, datetime.date(2027, 1, 20)):
        sign_slot(slot, e6, external)
        sign_slot(slot, e7, external)

    # S3: MGMT entrusted to us by another training organisation, March 2027 (7 h).
    s3 = CourseSessionFactory(
        course=management,
        subcontracting=CourseSession.Subcontracting.RECEIVED,
        subcontracting_partner="Organisme Donneur d'Ordre",
    )
    e8 = trainee(s3, TraineeCategory.PRIVATE_EMPLOYEE, "Hugo")
    for slot in day(s3, datetime.date(2027, 3, 10)):
        sign_slot(slot, e8, internal)

    # S4: DNOCO entrusted by us to a subcontractor, April 2027 (7 h), its trainer countersigns.
    s4 = CourseSessionFactory(
        course=commons,
        subcontracting=CourseSession.Subcontracting.GIVEN,
        subcontracting_partner="Sous-Traitant SARL",
    )
    e9 = trainee(s4, TraineeCategory.PRIVATE_EMPLOYEE, "Ines")
    for slot in day(s4, datetime.date(2027, 4, 7)):
        sign_slot(slot, e9, partner_trainer)

    # S0: June 2026, the previous financial year: counts nowhere in this one.
    s0 = CourseSessionFactory(course=commons)
    e0 = trainee(s0, TraineeCategory.PRIVATE_EMPLOYEE, "Zoe")
    for slot in day(s0, datetime.date(2026, 6, 15)):
        sign_slot(slot, e0, internal)

    invoices = SimpleNamespace(
        previous_year=invoice(datetime.date(2026, 6, 20), "500.00", FundingType.EMPLOYER),
        alice=invoice(datetime.date(2026, 10, 14), "1000.00", FundingType.EMPLOYER),
        bruno_opco=invoice(
            datetime.date(2026, 10, 14),
            "800.00",
            FundingType.OPCO_SKILLS_PLAN,
            payer_kind="opco",
            name="OPCO Atlas",
            agreement_number="APC-2026-42",
            direct_payment=True,
        ),
        bruno_employer=invoice(datetime.date(2026, 10, 14), "200.00", FundingType.EMPLOYER),
        chloe=invoice(
            datetime.date(2026, 10, 15), "1000.00", FundingType.INDIVIDUAL, payer_kind="person", name="Chloé"
        ),
        driss=invoice(
            datetime.date(2026, 10, 15),
            "999.50",
            FundingType.FRANCE_TRAVAIL,
            payer_kind="public",
            name="France Travail",
        ),
        wrong=invoice(datetime.date(2026, 11, 2), "300.00", FundingType.EMPLOYER),
        farid=invoice(datetime.date(2027, 1, 21), "650.40", FundingType.PUBLIC_EMPLOYER, name="Mairie"),
        gaelle=invoice(datetime.date(2027, 1, 21), "650.60", FundingType.CPF, payer_kind="public", name="CDC"),
        hugo=invoice(datetime.date(2027, 3, 11), "1200.00", FundingType.TRAINING_ORGANISATION, name="Donneur"),
        ines=invoice(datetime.date(2027, 4, 8), "900.00", FundingType.EMPLOYER),
    )
    CLOCK.at(paris(2026, 11, 3, 10))
    invoices.wrong_credit = credit_invoice(invoices.wrong, reason="Facturé par erreur")
    CLOCK.back_to_now()
    return SimpleNamespace(
        organisation=organisation,
        trainers=SimpleNamespace(internal=internal, external=external, partner=partner_trainer),
        courses=SimpleNamespace(commons=commons, certified=certified, management=management),
        sessions=SimpleNamespace(s0=s0, s1=s1, s2=s2, s3=s3, s4=s4),
        enrolments=SimpleNamespace(e0=e0, e1=e1, e2=e2, e3=e3, e4=e4, e5=e5, e6=e6, e7=e7, e8=e8, e9=e9),
        invoices=invoices,
    )
