"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error of the API answers a JSON object with ``type``, ``title``, ``status`` and ``detail``;
invalid input adds ``errors``: a list of ``{"field": "trainees.0.email", "detail": "…"}``, with
the same messages as the site's forms. ``type`` is ``about:blank`` except for the domain errors
listed in ``PROBLEM_TYPES``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"

#: ``type`` URIs of the problems a client may want to tell apart (relative to the API's base URL).
PROBLEM_TYPES = {
    "conflict": "/api/v1/problems/conflict",
    "validation": "/api/v1/problems/validation",
}


#: Problem titles in the request's language (else the HTTP reason phrase, in English).
TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Authentication required"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def not_found_detail() -> str:
    """The one wording of a 404 of the API, for an unknown URL and an unknown object alike."""
    return _("There is no such resource in this API: see /api/v1/docs/.")


def _translated(item) -> str:
    """DRF's few untranslated messages, in the request's language."""
    if isinstance(item, exceptions.ErrorDetail) and item.code == "null" and str(item) == "No data provided":
        return _("No data was sent: the request body must be a JSON object.")
    return str(item)


class ProblemJSONRenderer(JSONRenderer):
    """Lets a client ask for ``Accept: application/problem+json``."""

    media_type = PROBLEM_CONTENT_TYPE


class Conflict(exceptions.APIException):
    """The request is well-formed but the rule of the product refuses it now (409): full, closed…"""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


def flatten_errors(detail, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into ``[{"field": "a.0.b", "detail": "…"}]`` (field "" = whole request)."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            found += flatten_errors(value, "%s.%s" % (prefix, name) if prefix and name else (prefix or name))
    elif isinstance(detail, list):
        if detail and all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            found += [{"field": prefix, "detail": _translated(item)} for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    found += flatten_errors(item, "%s.%d" % (prefix, index) if prefix else str(index))
    else:
        found.append({"field": prefix, "detail": _translated(detail)})
    return found


def problem(status_code: int, detail: str, *, title: str = "", type_: str = "about:blank", **extra) -> dict:
    """Return a problem document (RFC 9457 section 3) as a dict."""
    from http import HTTPStatus

    body = {
        "type": type_,
        "title": str(title or TITLES.get(status_code) or HTTPStatus(status_code).phrase),
        "status": status_code,
        "detail": str(detail),
    }
    body.update(extra)
    return body


def exception_handler(exc, context):
    """DRF exception handler: every error becomes a problem document; unexpected errors propagate (500)."""
    if isinstance(exc, (Http404, exceptions.NotFound)):
        exc = exceptions.NotFound(not_found_detail())
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = "%d" % exc.wait
    request = context.get("request")
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)) and request is not None:
        authenticator = request._authenticator or (request.authenticators[0] if request.authenticators else None)
        if authenticator is not None:
            headers["WWW-Authenticate"] = authenticator.authenticate_header(request)
        exc.status_code = status.HTTP_401_UNAUTHORIZED
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        body = problem(
            exc.status_code,
            errors[0]["detail"] if len(errors) == 1 else _("Some fields are not valid: see “errors”."),
            title=_("Invalid input"),
            type_=PROBLEM_TYPES["validation"],
            errors=errors,
        )
    elif isinstance(exc, Conflict):
        body = problem(exc.status_code, exc.detail, title=_("Refused by the rules"), type_=PROBLEM_TYPES["conflict"])
    else:
        detail = exc.detail if not isinstance(exc.detail, (dict, list)) else flatten_errors(exc.detail)[0]["detail"]
        body = problem(exc.status_code, detail)
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any URL under ``/api/`` that names no resource: a 404 problem document (not the site's HTML page)."""
    body = problem(404, not_found_detail())
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
