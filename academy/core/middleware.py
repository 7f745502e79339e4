"""Middleware of the whole site: form bodies must be UTF-8, and every response says which browser
features the pages may use."""

from __future__ import annotations

import codecs
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: WSGI environ key where ``set_aside_declared_charset`` keeps a charset taken off CONTENT_TYPE.
DECLARED_CHARSET_KEY = "academy.declared_charset"


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def set_aside_declared_charset(environ: dict) -> dict:
    """Move a non-UTF-8 ``charset`` of the request's CONTENT_TYPE to ``environ[DECLARED_CHARSET_KEY]``.

    Django decodes the query string with the declared charset while it builds the request, before
    any middleware runs: a charset naming a Python codec that is no text encoding (``rot13``,
    ``punycode``, ``zlib``…) raises there and the server answers 500. Set aside, the charset can
    no longer be used to decode anything, and ``FormEncodingMiddleware`` still refuses the form
    with a message. Called by the WSGI entry point (``academy.wsgi``) on every request.
    """
    content_type = environ.get("CONTENT_TYPE", "")
    if "charset" not in content_type.lower():
        return environ
    main, params = parse_header_parameters(content_type)
    charset = params.pop("charset", None)
    if charset is None or _is_utf8(charset):
        return environ
    environ[DECLARED_CHARSET_KEY] = charset
    environ["CONTENT_TYPE"] = main + "".join(
        '; %s="%s"' % (key, value.replace("\\", "\\\\").replace('"', '\\"')) for key, value in params.items()
    )
    return environ


class DeclaredCharsetGuard:
    """WSGI wrapper of the Django application applying ``set_aside_declared_charset``."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(set_aside_declared_charset(environ), start_response)


def form_body_encoding_error(request: HttpRequest) -> str | None:
    """Return why a posted form body cannot be read as UTF-8, or None when it can (or is no form).

    Every page of the site is UTF-8, so browsers post forms in UTF-8 (HTML's form submission
    algorithm). A body declared in another charset (``charset=ibm500``), an unknown charset, or a
    URL-encoded body whose bytes are not UTF-8 would be read as mojibake or fail deep inside
    Django; it is refused here, before any form or the CSRF check reads it.
    """
    if request.content_type not in FORM_CONTENT_TYPES:
        return None
    charset = request.META.get(DECLARED_CHARSET_KEY) or request.content_params.get("charset")
    if charset is not None and not _is_utf8(charset):
        return _("The form was sent in the “%(charset)s” character set; this site reads UTF-8 only.") % {
            "charset": charset[:40]
        }
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            for pair in request.body.split(b"&"):
                unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return _("The form holds characters that are not valid UTF-8.")
    return None


def nul_character_error(request: HttpRequest, *, with_form: bool) -> str | None:
    """Return a message when the path, the query string or (``with_form``) the form holds a NUL.

    No field accepts NUL (Django's form fields refuse it), and PostgreSQL cannot store it nor
    compare with it: a NUL reaching a lookup or the audit log from a value read outside a form
    would answer 500 there. It is refused here, once for every view.
    """
    parts = [request.path]
    for key, values in request.GET.lists():
        parts += [key, *values]
    if with_form:
        for key, values in request.POST.lists():
            parts += [key, *values]
    if any("\x00" in part for part in parts):
        return _("The request holds a NUL character, which no field accepts.")
    return None


class FormEncodingMiddleware(MiddlewareMixin):
    """Answer 400 with a message to a form body that is not UTF-8 (see ``form_body_encoding_error``)
    and to a request holding a NUL character (see ``nul_character_error``).

    Runs as ``process_view`` so the answer still passes through every other middleware (security
    headers, CSP), and before ``CsrfViewMiddleware``, which reads the form.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        with_form = request.method in ("POST", "PUT", "PATCH", "DELETE")
        error = (with_form and form_body_encoding_error(request)) or nul_character_error(
            request, with_form=with_form and request.content_type in FORM_CONTENT_TYPES
        )
        if not error:
            return None
        return render(request, "core/bad_request.html", {"error": error}, status=400)


class PermissionsPolicyMiddleware:
    """Add the ``Permissions-Policy`` header of ``settings.PERMISSIONS_POLICY`` to every response.

    ``PERMISSIONS_POLICY`` maps a feature to its allow-list (``[]`` for none, ``["self"]`` for the
    site). No page uses the camera, microphone or location: trainees scan the room's QR code with
    their phone's own camera application, which opens the signing page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            "%s=(%s)" % (feature, " ".join(allowed)) for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
