"""Forms of the quality pages: complaints (public and staff), improvement actions, watch, engagement."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from academy.accounts.access import back_office_users
from academy.core.forms import PublicFormMixin
from academy.core.honeypot import HoneypotField
from academy.enrolment.models import DropoutReason
from academy.scheduling.models import CourseSession

from .models import Complaint, ImprovementAction, WatchEntry

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PublicComplaintForm(PublicFormMixin, forms.Form):
    """A complaint from anyone on the website. ``website`` is the honeypot."""

    required_css_class = "required"

    source = forms.ChoiceField(
        label=_("You are"),
        choices=[c for c in Complaint.Source.choices],
        initial=Complaint.Source.TRAINEE,
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail"), max_length=254, help_text=_("We send the acknowledgement and our answer there.")
    )
    organisation_name = forms.CharField(label=_("Organisation (optional)"), max_length=200, required=False)
    course_reference = forms.CharField(
        label=_("Course or session concerned (optional)"),
        max_length=200,
        required=False,
        help_text=_("Title, code or date of the session, if your complaint is about one."),
    )
    subject = forms.CharField(label=_("Object of your complaint"), max_length=200)
    description = forms.CharField(
        label=_("Describe what happened"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    website = HoneypotField()


class StaffComplaintForm(forms.ModelForm):
    """A complaint received by phone, letter, e-mail or in person, entered by staff."""

    class Meta:
        model = Complaint
        fields = [
            "source",
            "channel",
            "name",
            "email",
            "organisation_name",
            "course_session",
            "subject",
            "description",
            "received_at",
        ]
        widgets = {"received_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course_session"].queryset = CourseSession.objects.select_related("course").order_by("-pk")
        self.fields["received_at"].input_formats = ["%Y-%m-%dT%H:%M"]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    send = forms.BooleanField(label=_("E-mail the answer to the person"), required=False, initial=True)


def _owner_choices():
    return back_office_users().order_by("last_name", "first_name", "username")


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ImprovementActionForm(forms.ModelForm):
    """A new improvement action: owner and due date are required (Qualiopi indicator 32)."""

    owner = OwnerChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())

    class Meta:
        model = ImprovementAction
        fields = [
            "title",
            "description",
            "cause",
            "complaint",
            "watch_entry",
            "cause_detail",
            "course_session",
            "owner",
            "due_on",
        ]
        widgets = {
            "due_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "cause_detail": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owner_choices()
        self.fields["due_on"].required = True
        self.fields["course_session"].queryset = CourseSession.objects.select_related("course").order_by("-pk")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cause") == ImprovementAction.Cause.COMPLAINT and not cleaned.get("complaint"):
            self.add_error("complaint", _("Choose the complaint that caused this action."))
        if cleaned.get("cause") == ImprovementAction.Cause.WATCH and not cleaned.get("watch_entry"):
            self.add_error("watch_entry", _("Choose the watch entry that caused this action."))
        return cleaned


class ActionProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ImprovementAction.Status.choices)
    effect = forms.CharField(
        label=_("Effect"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class WatchEntryForm(forms.ModelForm):
    class Meta:
        model = WatchEntry
        fields = ["kind", "noted_on", "title", "source", "summary", "action_led_to"]
        widgets = {
            "noted_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "action_led_to": forms.Textarea(attrs={"rows": 2}),
        }


class AdaptationForm(forms.Form):
    requested = forms.CharField(label=_("What was asked"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    decision = forms.CharField(
        label=_("What was decided"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class DropoutForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DropoutReason.choices)
    detail = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class FollowUpForm(forms.Form):
    outcome = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("to"), widget=DATE_WIDGET, input_formats=["%Y-%m-%d"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return cleaned
