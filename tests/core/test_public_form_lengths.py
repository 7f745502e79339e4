"""Every visible text field of a public form has a maximum length (free text cannot fill the disk)."""

import pytest
from django import forms

from academy.catalog.forms import LeadForm
from academy.catalog.models import Lead
from academy.core.forms import MAX_MULTI_LINE_LENGTH, MAX_SINGLE_LINE_LENGTH, PublicFormMixin
from academy.core.honeypot import HONEYPOT_FIELD
from academy.enrolment.forms import EnrolmentForm, TraineeForm


class _Sample(PublicFormMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea)
    nickname = forms.CharField()
    code = forms.CharField(max_length=12)
    token = forms.CharField(widget=forms.HiddenInput)


def test_public_text_areas_and_single_line_fields_without_a_length_get_the_documented_maximum():
    fields = _Sample().fields
    assert fields["note"].max_length == MAX_MULTI_LINE_LENGTH == 5000
    assert fields["nickname"].max_length == MAX_SINGLE_LINE_LENGTH == 200
    assert fields["code"].max_length == 12
    assert fields["token"].max_length is None
    assert fields["note"].widget.attrs["maxlength"] == "5000"


def test_adaptation_needs_longer_than_5000_characters_are_refused_with_the_usual_message():
    data = {"first_name": "Alice", "last_name": "Martin", "email": "alice@exemple.fr"}
    form = TraineeForm({**data, "accessibility_needs": "x" * 1_500_000})

    assert not form.is_valid()
    assert form.errors["accessibility_needs"] == [
        "Assurez-vous que cette valeur comporte au plus 5000 caractères (actuellement 1500000)."
    ]
    assert TraineeForm({**data, "accessibility_needs": "x" * 5000}).is_valid()


@pytest.mark.parametrize(
    "make_form",
    [*(lambda kind=kind: LeadForm(kind=kind) for kind in Lead.Kind.values), EnrolmentForm, TraineeForm],
)
def test_every_visible_text_field_of_the_public_forms_has_a_maximum_length(make_form):
    unlimited = [
        name
        for name, field in make_form().fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.HiddenInput)
        and name != HONEYPOT_FIELD  # never read nor saved: a filled trap ends the request first
        and field.max_length is None
    ]
    assert unlimited == []
