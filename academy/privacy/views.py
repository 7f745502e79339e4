"""Privacy pages: consent, cookies, privacy policy, audience statistics, a person's rights."""

from __future__ import annotations

import datetime
import json
from datetime import timedelta

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from academy.accounts.access import Role, require_role
from academy.core import tokens
from academy.core.models import TrainingOrganisation
from academy.core.ratelimit import ratelimit

from . import consent as consent_module
from .consent import CONSENT_LIFETIME, COOKIE_NAME, consent_state, purposes
from .forms import ConsentForm, ErasureForm, PersonSearchForm
from .models import PageViewCount
from .readable import readable_sections
from .retention import RETENTION_PERIODS
from .services import PrivacyError, cookies_to_delete, erase_person, export_person, flush_page_views, record_consent

PERSON_TOKEN_PURPOSE = "privacy.person"
PERSON_TOKEN_AGE = timedelta(hours=2)


def _person_context(email: str, token: str, data: dict, form) -> dict:
    return {
        "email": email,
        "token": token,
        "sections": readable_sections(data),
        "pretty": json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        "erasure_form": form,
    }


def _safe_next(request, value: str, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


@require_POST
@ratelimit("consent", limit=60, window=600)
def consent(request):
    """Store a consent choice (banner or cookies page) in the consent cookie and as proof.

    Answers JSON to the banner's script, otherwise redirects back. Withdrawing deletes the
    cookies set by the purposes no longer allowed.
    """
    form = ConsentForm(request.POST)
    if not form.is_valid():
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"errors": form.errors}, status=400)
        messages.error(request, _("Your choice could not be read; please choose again."))
        return redirect("privacy:cookies")
    previous = consent_state(request)
    state, _record = record_consent(
        action=form.cleaned_data["choice"], allowed=form.cleaned_data["purpose"], previous=previous
    )
    to_delete = cookies_to_delete(previous=previous, current=state)
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse(
            {
                "choices": state.choices,
                "scripts": [static(s) for p in purposes() if state.allows(p.key) for s in p.scripts],
                "delete_cookies": to_delete,
            }
        )
    else:
        messages.success(request, _("Your cookie choices are saved."))
        response = HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"], reverse("privacy:cookies")))
    response.set_cookie(
        COOKIE_NAME,
        consent_module.format_consent(state),
        max_age=int(CONSENT_LIFETIME.total_seconds()),
        samesite="Lax",
        secure=request.is_secure(),
        httponly=False,  # read by privacy/consent.js to load allowed tags; holds no personal data
    )
    for name in to_delete:
        response.delete_cookie(name, samesite="Lax")
    return response


def cookies(request):
    """Show the current cookie choice and let the visitor change or withdraw it."""
    state = consent_state(request)
    return render(
        request,
        "privacy/cookies.html",
        {
            "state": state,
            "purpose_rows": [(p, state.allows(p.key)) for p in purposes()],
            "expires_at": state.given_at + CONSENT_LIFETIME if state.given_at else None,
        },
    )


def policy(request):
    """The privacy policy, generated from the organisation's data and the retention table."""
    return render(
        request,
        "privacy/policy.html",
        {"retention_periods": RETENTION_PERIODS, "purposes": purposes(), "consent_months": 6},
    )


@require_role(Role.PLANNER)
def audience(request):
    """Anonymous page views: totals per day and per page over the last ``days`` days (30 by default)."""
    try:
        days = max(1, min(int(request.GET.get("days", 30)), 762))
    except ValueError:
        days = 30
    since = timezone.localdate() - timedelta(days=days - 1)
    flush_page_views()  # the views counted since the last periodic flush show at once
    rows = PageViewCount.objects.filter(day__gte=since)
    per_day = list(rows.values("day").annotate(total=Sum("views")).order_by("-day"))
    per_path = list(rows.values("path").annotate(total=Sum("views")).order_by("-total", "path")[:100])
    return render(
        request,
        "privacy/staff/audience.html",
        {
            "days": days,
            "since": since,
            "per_day": per_day,
            "per_path": per_path,
            "total": sum(r["total"] for r in per_day),
        },
    )


@require_role(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def people(request):
    """Find a person by e-mail address; the address then travels in an encrypted, expiring link."""
    form = PersonSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("privacy:person", token=person_token(form.cleaned_data["email"]))
    return render(request, "privacy/staff/people.html", {"form": form})


def person_token(email: str) -> str:
    """Return the opaque reference of the person pages for ``email`` (valid ``PERSON_TOKEN_AGE``).

    The address is encrypted (``tokens.make_sealed_token``): URLs land in access logs and browser
    history, and must not reveal whom staff looked up (GDPR art. 32).
    """
    return tokens.make_sealed_token(PERSON_TOKEN_PURPOSE, email)


def _person_email(token: str) -> str:
    try:
        return tokens.read_sealed_token(PERSON_TOKEN_PURPOSE, token, max_age=PERSON_TOKEN_AGE)
    except tokens.InvalidToken as exc:
        raise Http404("expired or invalid link") from exc


@require_role(Role.ADMINISTRATOR)
def person(request, token: str):
    """Show everything held about one person, readable, with the JSON download and erasure."""
    email = _person_email(token)
    data = export_person(email=email, request=request)
    return render(
        request, "privacy/staff/person.html", _person_context(email, token, data, ErasureForm(expected_email=email))
    )


@require_role(Role.ADMINISTRATOR)
def person_json(request, token: str):
    """Download everything held about one person as JSON (GDPR art. 15 and 20)."""
    email = _person_email(token)
    data = export_person(email=email, request=request)
    payload = {
        "exported_at": timezone.now(),
        "controller": TrainingOrganisation.current().name,
        "data": data,
    }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data-%s.json"' % datetime.date.today().isoformat()
    return response


@require_role(Role.ADMINISTRATOR)
@require_POST
def person_erase(request, token: str):
    """Erase one person after the address is typed again (GDPR art. 17)."""
    email = _person_email(token)
    form = ErasureForm(request.POST, expected_email=email)
    if not form.is_valid():
        data = export_person(email=email, request=request)
        return render(request, "privacy/staff/person.html", _person_context(email, token, data, form), status=400)
    try:
        result = erase_person(email=email, request=request)
    except PrivacyError as exc:
        messages.error(request, str(exc))
        return redirect("privacy:people")
    return render(request, "privacy/staff/erased.html", {"result": result})
