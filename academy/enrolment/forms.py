"""Public enrolment form: a contact, their organisation, the funding, and one or more trainees."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from academy.core.forms import PublicFormMixin
from academy.core.honeypot import HoneypotField
from academy.core.text import normalise_email
from academy.core.validators import normalise_siret
from academy.scheduling.models import CourseSession

from .models import Booking, TraineeCategory

MAX_TRAINEES = 20


def validate_siret(value: str) -> str:
    """Return the SIRET without spaces; refuse anything but 14 digits passing the Luhn check (INSEE)."""
    return normalise_siret(value)


class EnrolmentForm(PublicFormMixin, forms.Form):
    """The booking part of the form (one per submission)."""

    required_css_class = "required"
    FOR_SELF = "self"
    FOR_OTHERS = "others"

    for_whom = forms.ChoiceField(
        label=_("Who is enrolling?"),
        choices=[
            (FOR_SELF, _("Myself")),
            (FOR_OTHERS, _("One or more people of my organisation (I am their contact)")),
        ],
        widget=forms.RadioSelect,
        initial=FOR_SELF,
    )
    contact_first_name = forms.CharField(label=_("Your first name"), max_length=150)
    contact_last_name = forms.CharField(label=_("Your last name"), max_length=150)
    contact_email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    contact_phone = forms.CharField(label=_("Your phone"), max_length=40, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    organisation_siret = forms.CharField(
        label=_("SIRET (optional)"), max_length=20, required=False, help_text=_("14 digits, spaces allowed.")
    )
    funding = forms.ChoiceField(label=_("Funding"), choices=Booking.Funding.choices, widget=forms.RadioSelect)
    funder_name = forms.CharField(
        label=_("Which one?"),
        max_length=200,
        required=False,
        help_text=_("The OPCO's name (e.g. Atlas, OPCO EP), or the funder if “other” or “public funder”."),
    )
    overflow_policy = forms.ChoiceField(
        label=_("If there are fewer seats left than people in your group"),
        choices=Booking.OverflowPolicy.choices,
        widget=forms.RadioSelect,
        initial=Booking.OverflowPolicy.WAITLIST_REST,
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the general terms of sale and the processing of these data to manage the enrolment."),
        error_messages={"required": _("Please accept the terms to enrol.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Hidden from people by CSS; robots fill it in (see academy.core.honeypot).
    website = HoneypotField()

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        if course is not None and course.cpf_excluded and not self.is_bound:
            self.fields["funding"].choices = [
                choice for choice in self.fields["funding"].choices if choice[0] != Booking.Funding.CPF
            ]

    def clean_organisation_siret(self) -> str:
        value = self.cleaned_data.get("organisation_siret", "")
        return validate_siret(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        funding = cleaned.get("funding")
        if funding == Booking.Funding.CPF and self.course is not None and self.course.cpf_excluded:
            self.add_error(
                "funding",
                _(
                    "The personal training account (CPF) cannot fund this course: it leads to no "
                    "certification registered in the RNCP or the specific register."
                ),
            )
        if (
            funding in (Booking.Funding.OPCO, Booking.Funding.OTHER, Booking.Funding.PUBLIC_FUNDER)
            and not cleaned.get("funder_name", "").strip()
        ):
            message = _("Which OPCO?") if funding == Booking.Funding.OPCO else _("Name the funder.")
            self.add_error("funder_name", message)
        needs_organisation = cleaned.get("for_whom") == self.FOR_OTHERS or funding in (
            Booking.Funding.EMPLOYER,
            Booking.Funding.OPCO,
        )
        if needs_organisation and not cleaned.get("organisation_name", "").strip():
            self.add_error("organisation_name", _("Give the name of the organisation."))
        return cleaned


class TraineeForm(PublicFormMixin, forms.Form):
    """One trainee. Accessibility needs go to the accessibility referent and staff only."""

    required_css_class = "required"

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen only by our accessibility referent and staff, to adapt the session."),
    )
    trainee_category = forms.ChoiceField(
        label=_("Situation of the trainee"),
        choices=[("", "—"), *TraineeCategory.choices],
        required=False,
        help_text=_("The yearly report we file with the State counts trainees by situation."),
    )
    work_context = forms.CharField(
        label=_("Your professional context (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your job and situation: the trainer reads it before the session to adapt it."),
    )
    expectations = forms.CharField(
        label=_("What you expect from this course (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BaseTraineeFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Give at least one trainee: first name, last name and e-mail."),
    }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms):
            email = form.cleaned_data.get("email")
            if not email:
                continue
            key = normalise_email(email)
            if key in seen:
                form.add_error("email", _("This person is already in the form (trainee %(n)d).") % {"n": seen[key] + 1})
            else:
                seen[key] = index


TraineeFormSet = forms.formset_factory(
    TraineeForm,
    formset=BaseTraineeFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_TRAINEES,
    validate_max=True,
)


class CancelForm(forms.Form):
    """Staff cancellation in the back office: a reason is required."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class StaffEnrolmentForm(TraineeForm):
    """Staff enrol one trainee by hand in the back office (through ``enrol_by_staff``)."""

    course_session = forms.ModelChoiceField(label=_("Session"), queryset=CourseSession.objects.none())
    organisation_name = forms.CharField(label=_("Organisation (employer)"), max_length=200, required=False)
    organisation_siret = forms.CharField(
        label=_("SIRET (optional)"), max_length=20, required=False, help_text=_("14 digits, spaces allowed.")
    )
    funding = forms.ChoiceField(label=_("Funding"), choices=Booking.Funding.choices)
    funder_name = forms.CharField(label=_("Funder (OPCO…)"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES, initial="fr")
    confirm_beyond_capacity = forms.BooleanField(
        label=_("Confirm beyond capacity"),
        required=False,
        help_text=_(
            "When no seat is left: confirm this trainee anyway, raising the session's capacity by one seat "
            "(recorded in the audit log). Otherwise they go on the waiting list."
        ),
    )

    field_order = [
        "course_session",
        "first_name",
        "last_name",
        "email",
        "job_title",
        "trainee_category",
        "accessibility_needs",
        "work_context",
        "expectations",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course_session"].queryset = (
            CourseSession.objects.exclude(status__in=[CourseSession.Status.CANCELLED, CourseSession.Status.COMPLETED])
            .with_dates()
            .select_related("course")
            .order_by("first_starts_at")
        )

    def clean_organisation_siret(self) -> str:
        value = self.cleaned_data.get("organisation_siret", "")
        return validate_siret(value) if value.strip() else ""
