"""Signed, expiring links sent by e-mail: cancel an enrolment, accept an offered seat, see a booking.

Tokens carry the record's id and a short hash of the person's normalised e-mail (not the address
itself, which would show in URLs and logs), so a link stops working once the record is anonymised.
Lifetimes come from settings (days).
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from academy.core.tokens import make_token

CANCEL_PURPOSE = "enrolment-cancel"
OFFER_PURPOSE = "enrolment-offer"
BOOKING_PURPOSE = "enrolment-booking"


def link_max_age() -> datetime.timedelta:
    """Lifetime of cancel and offer links (``ENROLMENT_LINK_MAX_AGE_DAYS``, default 180)."""
    return datetime.timedelta(days=getattr(settings, "ENROLMENT_LINK_MAX_AGE_DAYS", 180))


def booking_page_max_age() -> datetime.timedelta:
    """Lifetime of the confirmation-page link (``ENROLMENT_BOOKING_PAGE_MAX_AGE_DAYS``, default 7)."""
    return datetime.timedelta(days=getattr(settings, "ENROLMENT_BOOKING_PAGE_MAX_AGE_DAYS", 7))


def _absolute(name: str, token: str, language: str | None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, kwargs={"token": token})


def email_fingerprint(email_normalised: str) -> str:
    """A short, non-reversible fingerprint of an address, to tie a link to its person."""
    return hashlib.sha256(email_normalised.encode()).hexdigest()[:16]


def cancel_token(enrolment) -> str:
    return make_token(CANCEL_PURPOSE, {"e": enrolment.pk, "m": email_fingerprint(enrolment.email_normalised)})


def offer_token(enrolment) -> str:
    return make_token(OFFER_PURPOSE, {"e": enrolment.pk, "m": email_fingerprint(enrolment.email_normalised)})


def staff_session_url(course_session) -> str:
    """Absolute URL of the staff page listing a session's enrolments."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("enrolment:session_enrolments", kwargs={"pk": course_session.pk})


def booking_token(booking) -> str:
    return make_token(BOOKING_PURPOSE, {"b": booking.pk})


def cancel_url(enrolment, *, language: str | None = None) -> str:
    return _absolute("enrolment:cancel", cancel_token(enrolment), language)


def offer_url(enrolment, *, language: str | None = None) -> str:
    return _absolute("enrolment:offer", offer_token(enrolment), language)
