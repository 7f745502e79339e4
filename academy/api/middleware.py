"""Keep every answer under ``/api/`` a problem document, even when Django answers before the API's views.

Django and the site's middleware may refuse a request before any API view runs (a NUL character
in the query, a host not allowed, a body too large); their answer is an HTML page made for
people. Under ``/api/`` the refusal is sent as ``application/problem+json`` instead.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.deprecation import MiddlewareMixin

from academy.core.middleware import nul_character_error

from .problems import PROBLEM_CONTENT_TYPE, problem

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """True for a request to the REST API (its path starts with ``/api/``)."""
    return request.path_info.startswith(API_PREFIX)


class ApiProblemMiddleware(MiddlewareMixin):
    """Listed before ``FormEncodingMiddleware``: its NUL check answers API requests as a problem.

    JSON bodies are read by the API's parsers and serializers (DRF's text fields refuse NUL and
    lone surrogates), so only the path and query string are checked here.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not is_api_request(request):
            return None
        error = nul_character_error(request, with_form=False)
        if error:
            return JsonResponse(problem(400, error), status=400, content_type=PROBLEM_CONTENT_TYPE)
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not is_api_request(request) or response.status_code < 400:
            return response
        if "json" in response.get("Content-Type", ""):
            return response
        status = response.status_code
        try:
            detail = HTTPStatus(status).phrase
        except ValueError:
            detail = "Error"
        replaced = HttpResponse(json.dumps(problem(status, detail)), status=status, content_type=PROBLEM_CONTENT_TYPE)
        for header in ("Retry-After", "WWW-Authenticate", "Allow"):
            if header in response:
                replaced[header] = response[header]
        return replaced
