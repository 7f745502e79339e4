"""Form helpers shared by every public form."""

from __future__ import annotations

from django import forms

from .validators import validate_deliverable_email, validate_multi_line_text, validate_single_line


def harden_fields(fields: dict[str, forms.Field]) -> None:
    """Add the public-input validators to a form's (already copied) fields, in place.

    E-mail fields refuse undeliverable addresses; other text fields refuse control characters,
    line breaks included unless the field is shown as a text area; hidden and password fields are
    left as they are.
    """
    for field in fields.values():
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
