"""Form helpers shared by every public form."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

from .honeypot import HoneypotField
from .validators import validate_deliverable_email, validate_multi_line_text, validate_single_line

#: Longest text the public may type into a text area (characters): a page of free text, enough
#: for adaptation needs or a message, small enough that nobody stores megabytes through a form.
MAX_MULTI_LINE_LENGTH = 5000
#: Longest text of a single-line public field without a length of its own (characters).
MAX_SINGLE_LINE_LENGTH = 200


def _limit_length(field: forms.CharField, limit: int) -> None:
    """Give ``field`` a maximum length (validator with Django's usual message, and the HTML attribute)."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    # HTML allows maxlength on text-like inputs and text areas only (not on radio buttons or
    # check boxes, which a choice question may use): the Nu Html Checker reports it otherwise.
    input_type = getattr(field.widget, "input_type", None)
    if isinstance(field.widget, forms.Textarea) or input_type in ("text", "email", "password", "search", "tel", "url"):
        field.widget.attrs.setdefault("maxlength", str(limit))


def harden_fields(fields: dict[str, forms.Field]) -> None:
    """Add the public-input validators to a form's (already copied) fields, in place.

    E-mail fields refuse undeliverable addresses; other text fields refuse control characters,
    line breaks included unless the field is shown as a text area; hidden and password fields are
    left as they are. Every visible text field without a maximum length gets one:
    ``MAX_MULTI_LINE_LENGTH`` for text areas, ``MAX_SINGLE_LINE_LENGTH`` otherwise.
    """
    for field in fields.values():
        # The honeypot is never read nor saved: a filled trap ends the request before validation.
        hidden = isinstance(field.widget, forms.HiddenInput) or isinstance(field, HoneypotField)
        if isinstance(field, forms.CharField) and field.max_length is None and not hidden:
            is_area = isinstance(field.widget, forms.Textarea)
            _limit_length(field, MAX_MULTI_LINE_LENGTH if is_area else MAX_SINGLE_LINE_LENGTH)
        if isinstance(field, forms.EmailField):
            validator = validate_deliverable_email
        elif not isinstance(field, forms.CharField) or isinstance(
            field.widget, (forms.HiddenInput, forms.PasswordInput)
        ):
            continue
        elif isinstance(field.widget, forms.Textarea):
            validator = validate_multi_line_text
        else:
            validator = validate_single_line
        if validator not in field.validators:
            field.validators.append(validator)


class PublicFormMixin:
    """Mix into every form the public fills in (``class LeadForm(PublicFormMixin, forms.ModelForm)``).

    Its fields get ``harden_fields``'s validators, so a new field is covered without thinking
    of it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden_fields(self.fields)


class SpacedDecimalField(forms.DecimalField):
    """A localized decimal field that also takes spaces as thousands separators.

    French staff type amounts as they read them: "1 234,56" (plain, no-break or narrow no-break
    spaces between thousands); the spaces are dropped before the locale's decimal mark is read.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace("\u00a0", "")
        return super().to_python(value)
