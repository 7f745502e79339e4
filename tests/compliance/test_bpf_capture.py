"""What the yearly report needs is captured where it is born: enrolment, funding, course, session."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from academy.catalog.coursefiles import CatalogueFileError, parse_course_file, serialise_course
from academy.catalog.models import Course
from academy.commerce.funding import set_funding, shares_for
from academy.enrolment.models import Enrolment, TraineeCategory
from academy.invoicing.from_funding import draft_invoices_for_booking
from academy.invoicing.services import credit_invoice, issue_invoice
from academy.scheduling.models import CourseSession
from tests.english_messages import _english_messages  # noqa: F401 (autouse fixture)
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.core import TrainingOrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_public_form_asks_each_trainees_category_and_stores_it(client):
    cache.clear()
    course_session = open_session()
    data = {
        "for_whom": "others",
        "contact_first_name": "Camille",
        "contact_last_name": "Contact",
        "contact_email": "camille@exemple.fr",
        "organisation_name": "Société Exemple",
        "funding": "employer",
        "overflow_policy": "waitlist_rest",
        "accept_terms": "on",
        "submission_key": str(uuid.uuid4()),
        "website": "",
        "trainees-TOTAL_FORMS": "2",
        "trainees-INITIAL_FORMS": "0",
        "trainees-MIN_NUM_FORMS": "1",
        "trainees-MAX_NUM_FORMS": "20",
        "trainees-0-first_name": "Zoë",
        "trainees-0-last_name": "Núñez",
        "trainees-0-email": "zoe@exemple.fr",
        "trainees-0-trainee_category": "private_employee",
        "trainees-1-first_name": "Ánh",
        "trainees-1-last_name": "Nguyễn",
        "trainees-1-email": "anh@exemple.fr",
        "trainees-1-trainee_category": "job_seeker",
    }
    form = client.get(reverse("enrolment:enrol", kwargs={"pk": course_session.pk})).content.decode()
    assert 'name="trainees-0-trainee_category"' in form
    client.post(reverse("enrolment:enrol", kwargs={"pk": course_session.pk}), data)
    assert dict(Enrolment.objects.values_list("email", "trainee_category")) == {
        "zoe@exemple.fr": TraineeCategory.PRIVATE_EMPLOYEE,
        "anh@exemple.fr": TraineeCategory.JOB_SEEKER,
    }
    cache.clear()


def test_a_category_outside_the_list_is_refused_on_the_form(client):
    cache.clear()
    course_session = open_session()
    response = client.post(
        reverse("enrolment:enrol", kwargs={"pk": course_session.pk}),
        {
            "for_whom": "self",
            "contact_first_name": "Camille",
            "contact_last_name": "Contact",
            "contact_email": "camille@exemple.fr",
            "funding": "personal",
            "accept_terms": "on",
            "website": "",
            "trainees-TOTAL_FORMS": "1",
            "trainees-INITIAL_FORMS": "0",
            "trainees-0-first_name": "Camille",
            "trainees-0-last_name": "Contact",
            "trainees-0-email": "camille@exemple.fr",
            "trainees-0-trainee_category": "astronaut",
        },
    )
    assert response.status_code == 400
    assert "astronaut" in response.content.decode()  # the choice error names the value refused
    assert not Enrolment.objects.exists()
    cache.clear()


def test_funding_types_travel_from_funding_lines_to_invoices_and_credit_notes():
    TrainingOrganisationFactory()
    booking = enrol_people(open_session(), trainee(1), trainee(2))
    booking.client_organisation.address = "5, place du Client\n69002 Lyon"
    booking.client_organisation.save()
    set_funding(
        booking,
        [
            {
                "payer_kind": "opco",
                "payer_name": "OPCO Atlas",
                "address": "1, rue de l'OPCO\n75013 Paris",
                "agreement_number": "APC-1",
                "amount_excl_vat": Decimal("1500.00"),
                "direct_payment": True,
                "funding_type": "opco_skills_plan",
            },
            {
                "payer_kind": "client",
                "payer_name": booking.client_organisation.name,
                "client_organisation": booking.client_organisation,
                "address": booking.client_organisation.address,
                "amount_excl_vat": Decimal("400.00"),
                "funding_type": "employer",
            },
        ],
    )
    invoices = draft_invoices_for_booking(booking).created
    assert sorted(i.funding_type for i in invoices) == ["employer", "opco_skills_plan"]
    issued = issue_invoice(next(i for i in invoices if i.payer_kind == "opco"))
    assert credit_invoice(issued, reason="Erreur").funding_type == "opco_skills_plan"


def test_a_funding_type_outside_the_list_is_refused_naming_the_line():
    booking = enrol_people(open_session(), trainee(1))
    with pytest.raises(ValidationError, match="Line 1: choose a funding type"):
        set_funding(
            booking,
            [{"payer_kind": "person", "payer_name": "X", "amount_excl_vat": Decimal("950.00"), "funding_type": "x"}],
        )


@pytest.mark.parametrize(
    ("funding", "funding_type"),
    [("employer", "employer"), ("personal", "individual"), ("cpf", "cpf"), ("opco", ""), ("public_funder", "")],
)
def test_the_default_share_takes_the_funding_type_the_booking_says_and_no_more(funding, funding_type):
    booking = enrol_people(open_session(), trainee(1), funding=funding, funder_name="Un financeur")
    assert [s.funding_type for s in shares_for(booking)] == [funding_type]


def test_course_files_carry_the_general_objective_and_nsf_code(seed_course):
    Course.objects.filter(pk=seed_course.pk).update(general_objective="rncp", qualification_level="5", nsf_code="326")
    seed_course.refresh_from_db()
    text = serialise_course(seed_course)
    assert "general_objective: rncp\nqualification_level: '5'\nnsf_code: '326'\n" in text
    data = parse_course_file(text)
    assert (data.fields["general_objective"], data.fields["qualification_level"], data.fields["nsf_code"]) == (
        "rncp",
        "5",
        "326",
    )
    broken = text.replace("nsf_code: '326'", "nsf_code: '32'")
    line = broken.splitlines().index("nsf_code: '32'") + 1
    with pytest.raises(CatalogueFileError, match="NSF code") as caught:
        parse_course_file(broken, path="COMNUM.md")
    assert (caught.value.line, caught.value.field) == (line, "nsf_code")


def test_a_subcontracted_session_names_the_other_organisation():
    course_session = open_session()
    course_session.subcontracting = CourseSession.Subcontracting.GIVEN
    with pytest.raises(ValidationError) as caught:
        course_session.clean()
    assert "subcontracting_partner" in caught.value.message_dict


def test_staff_see_and_export_each_trainees_category(client):
    import csv
    import io

    from tests.factories.enrolment import EnrolmentFactory
    from tests.factories.privacy import staff_planner

    course_session = open_session()
    EnrolmentFactory(booking__course_session=course_session, trainee_category=TraineeCategory.JOB_SEEKER)
    client.force_login(staff_planner())
    from django.utils import translation

    with translation.override("fr"):  # staff use the back office in French
        page_url = reverse("enrolment:session_enrolments", kwargs={"pk": course_session.pk})
        csv_url = reverse("enrolment:session_enrolments_csv", kwargs={"pk": course_session.pk})
    page = client.get(page_url).content.decode()
    assert "Personne en recherche d’emploi" in page
    response = client.get(csv_url)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][rows[0].index("Type de stagiaire")] == "Personne en recherche d’emploi"
