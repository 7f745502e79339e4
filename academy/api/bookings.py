"""Bookings through the API: the public form's validation, then the public form's service.

The body is checked by the very forms of the public page (``EnrolmentForm``, ``TraineeFormSet``),
so the rules (funder named for OPCO funding, organisation named for a group, SIRET checksum,
deliverable e-mails, terms accepted) and their messages are the same; ``enrol`` then applies
capacity, deadlines, the waiting list and the one-enrolment-per-person rule under the session's
row lock.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from academy.catalog.models import Course
from academy.enrolment.forms import EnrolmentForm, TraineeFormSet
from academy.enrolment.models import Booking
from academy.enrolment.services import ContactDetails, TraineeDetails, enrol
from academy.scheduling.models import CourseSession

from . import scopes
from .models import ApiToken

TRAINEE_PREFIX = "trainees"


def _form_errors(form, prefix: str = "") -> dict:
    errors = {}
    for field, items in form.errors.get_json_data().items():
        key = "non_field_errors" if field == "__all__" else field
        errors[key] = [item["message"] for item in items]
    return errors


def validate_with_forms(data: dict, organisation=None, course=None) -> tuple[dict, list[dict]]:
    """Check ``data`` with the public form; return its cleaned booking and trainees.

    ``organisation`` (a client token's) stands for the organisation fields; ``course`` (the
    session's) applies its rules, as the public form does (the CPF funds certifying courses only). Raises DRF's
    ValidationError with the forms' messages, keyed like the API's fields
    (``trainees.<n>.<field>`` for a trainee).
    """
    booking_data = {
        "for_whom": EnrolmentForm.FOR_OTHERS,
        "contact_first_name": data["contact_first_name"],
        "contact_last_name": data["contact_last_name"],
        "contact_email": data["contact_email"],
        "contact_phone": data["contact_phone"],
        "organisation_name": organisation.name if organisation else data["organisation_name"],
        "organisation_siret": organisation.siret if organisation else data["organisation_siret"],
        "funding": data["funding"],
        "funder_name": data["funder_name"],
        "overflow_policy": data["overflow_policy"],
        "accept_terms": "on" if data["accept_terms"] else "",
    }
    form = EnrolmentForm(booking_data, course=course)
    trainee_data = {
        "%s-TOTAL_FORMS" % TRAINEE_PREFIX: str(len(data["trainees"])),
        "%s-INITIAL_FORMS" % TRAINEE_PREFIX: "0",
    }
    for index, trainee in enumerate(data["trainees"]):
        for key, value in trainee.items():
            trainee_data["%s-%d-%s" % (TRAINEE_PREFIX, index, key)] = value
    formset = TraineeFormSet(trainee_data, prefix=TRAINEE_PREFIX)
    form_ok, formset_ok = form.is_valid(), formset.is_valid()
    if not (form_ok and formset_ok):
        errors = _form_errors(form)
        trainee_errors = {i: _form_errors(f) for i, f in enumerate(formset.forms) if f.errors}
        if trainee_errors:
            errors["trainees"] = trainee_errors
        if formset.non_form_errors():
            errors.setdefault("non_field_errors", []).extend(formset.non_form_errors())
        raise ValidationError(errors)
    return form.cleaned_data, [f.cleaned_data for f in formset.forms if f.cleaned_data]


def create_booking(*, token: ApiToken, data: dict) -> Booking:
    """Enrol the trainees of ``data`` (validated by ``BookingCreateSerializer``) through ``enrol``.

    Only inter-company sessions of published courses are bookable, as on the public page. A
    client token books for its own organisation. Raises ValidationError for bad input and the
    enrolment errors of ``enrol`` (SessionNotOpen, AlreadyEnrolled, NotEnoughSeats, AlreadySubmitted).
    """
    organisation = token.client_organisation if token.scope == ApiToken.Scope.CLIENT else None
    session = (
        scopes.sessions(token)
        .filter(kind=CourseSession.Kind.INTER_COMPANY, course__status=Course.Status.PUBLISHED)
        .filter(pk=data["course_session"])
        .first()
    )
    if session is None:
        raise ValidationError({"course_session": [_("There is no session open to enrolment with this id.")]})
    cleaned, trainees = validate_with_forms(data, organisation, session.course)
    with transaction.atomic():
        booking = enrol(
            course_session=session,
            contact=ContactDetails(
                first_name=cleaned["contact_first_name"],
                last_name=cleaned["contact_last_name"],
                email=cleaned["contact_email"],
                phone=cleaned["contact_phone"],
            ),
            trainees=[TraineeDetails(**trainee) for trainee in trainees],
            funding=cleaned["funding"],
            funder_name=cleaned["funder_name"],
            organisation_name="" if organisation else cleaned["organisation_name"],
            organisation_siret="" if organisation else cleaned["organisation_siret"],
            overflow_policy=cleaned["overflow_policy"],
            language=data["language"],
            submission_key=data["submission_key"],
        )
        if organisation is not None:
            Booking.objects.filter(pk=booking.pk).update(client_organisation=organisation)
    return booking
