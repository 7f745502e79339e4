"""One honeypot for every public form: robots that fill the hidden field are thanked and ignored.

A public form declares ``website = HoneypotField()`` (hidden from people by CSS, skipped by the
keyboard) and its view is decorated with ``@honeypot(accepted)``. A POST with the field filled in
gets ``accepted(request, …)`` — the very answer a person gets once their form is accepted — and
the view never runs: nothing is stored, nothing is sent, and the robot learns nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class HoneypotField(forms.CharField):
    """The trap field: optional, labelled for screen readers, never auto-filled nor reached by Tab."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Leave this field empty"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
        super().__init__(**kwargs)


def caught_by_honeypot(request: HttpRequest) -> bool:
    """True for a POST whose honeypot field is filled in."""
    return request.method == "POST" and bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def honeypot(accepted: Callable[..., HttpResponse]):
    """Decorate a public form view: a POST caught by the honeypot gets ``accepted(request, *args, **kwargs)``.

    ``accepted`` receives the view's arguments and returns what a person sees after a successful
    submission (usually a thank-you message and a redirect); the view itself is not called.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if caught_by_honeypot(request):
                return accepted(request, *args, **kwargs)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
