"""Back-office forms of scheduling: slots entered in the session's local time, copy to new dates."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.core.params import parse_id
from academy.core.widgets import ISO_DATE, ISO_TIME, IsoDateInput, IsoTimeInput

from .models import CourseSession, SessionSlot, slot_day_problem
from .services import local_datetime, local_time_problem, trainer_conflicts


class SessionSlotForm(forms.ModelForm):
    """A half-day slot typed as a local date and local start/end times in the session's timezone.

    Staff think in local wall-clock time; the aware UTC datetimes are derived here so a slot typed
    "09:00" stays 09:00 in the session's timezone on either side of a clock change (FC-03).
    """

    day = forms.DateField(label=_("day"), widget=IsoDateInput(), input_formats=[ISO_DATE], localize=False)
    start_time = forms.TimeField(
        label=_("start (local time)"), widget=IsoTimeInput(), input_formats=[ISO_TIME, "%H:%M:%S"], localize=False
    )
    end_time = forms.TimeField(
        label=_("end (local time)"), widget=IsoTimeInput(), input_formats=[ISO_TIME, "%H:%M:%S"], localize=False
    )

    class Meta:
        model = SessionSlot
        fields = ["content"]

    def __init__(self, *args, session_tz=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_tz = session_tz or ZoneInfo("Europe/Paris")
        if self.instance.pk and self.instance.starts_at:
            tz = self.session_tz
            start = self.instance.starts_at.astimezone(tz)
            end = self.instance.ends_at.astimezone(tz)
            self.initial.update(
                {
                    "day": start.date(),
                    "start_time": start.time().replace(second=0),
                    "end_time": end.time().replace(second=0),
                }
            )

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            day_problem = slot_day_problem(day)
            if day_problem:
                self.add_error("day", day_problem)
                return cleaned
            if end <= start:
                self.add_error("end_time", _("The end must be after the start."))
                return cleaned
            tz = self.session_tz
            problems = {name: local_time_problem(day, cleaned[name], tz) for name in ("start_time", "end_time")}
            for name, problem in problems.items():
                if problem:
                    self.add_error(name, problem)
            if any(problems.values()):
                return cleaned
            self.instance.starts_at = local_datetime(day, start, tz)
            self.instance.ends_at = local_datetime(day, end, tz)
        return cleaned

    def validate_unique(self):
        # The session may be new here; uniqueness of (session, start) is checked by the database.
        pass


def _slot_label(slot: SessionSlot, tz) -> str:
    """ "2027-03-26 09:00–12:30": a half-day as staff typed it, in the session's local time."""
    start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    return "%s %s–%s" % (start.strftime("%Y-%m-%d"), start.strftime("%H:%M"), end.strftime("%H:%M"))


class BaseSessionSlotFormSet(forms.BaseInlineFormSet):
    """Gives each slot form the timezone of the session being edited (possibly not saved yet), and
    refuses half-days at which one of the session's trainers already delivers another session.

    The trainers are read from the same submitted page (the session form's ``trainers`` field),
    so assigning a trainer and moving a half-day are both checked before anything is saved.
    """

    def clean(self):
        super().clean()
        if any(self.errors) or not self.is_bound:
            return
        overlaps = self.overlapping_half_days()
        if overlaps:
            raise forms.ValidationError(overlaps, code="slots_overlap")
        if self.data.get("status") == CourseSession.Status.CANCELLED:
            return
        getlist = getattr(self.data, "getlist", lambda key: self.data.get(key) or [])
        trainer_ids = [number for value in getlist("trainers") if (number := parse_id(str(value)))]
        slots = [
            (form.instance.starts_at, form.instance.ends_at)
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and form.instance.starts_at
        ]
        conflicts = trainer_conflicts(trainers=trainer_ids, slots=slots, exclude_session_id=self.instance.pk)
        if conflicts:
            raise forms.ValidationError([conflict.message() for conflict in conflicts], code="trainer_double_booked")

    def overlapping_half_days(self) -> list[str]:
        """Messages naming each pair of this session's half-days that overlap in time."""
        kept = sorted(
            (
                form.instance
                for form in self.forms
                if form.cleaned_data and not self._should_delete_form(form) and form.instance.starts_at
            ),
            key=lambda slot: slot.starts_at,
        )
        tz = self.session_tz()
        messages = []
        for index, first in enumerate(kept):
            for second in kept[index + 1 :]:
                if second.starts_at >= first.ends_at:
                    break
                messages.append(
                    _("The half-days %(first)s and %(second)s overlap: correct or remove one of them.")
                    % {"first": _slot_label(first, tz), "second": _slot_label(second, tz)}
                )
        return messages

    def session_tz(self):
        try:
            return self.instance.tzinfo
        except Exception:  # an invalid timezone name: the session form reports it
            return None

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["session_tz"] = self.session_tz()
        return kwargs


class CopySessionForm(forms.Form):
    """Choose the first day of the copy; the other days keep their distance from it."""

    first_day = forms.DateField(
        label=_("first day of the copy"), widget=IsoDateInput(), input_formats=[ISO_DATE], localize=False
    )

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day < datetime.date.today() - datetime.timedelta(days=365):
            raise forms.ValidationError(_("Choose a date less than a year ago."))
        return day
