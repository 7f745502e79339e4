"""Forms of the accounts pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TOTPConfirmForm(forms.Form):
    """The six-digit code that confirms a newly added authenticator app."""

    token = forms.RegexField(
        label=_("Six-digit code shown by your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown by the app.")},
    )
