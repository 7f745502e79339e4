"""Error pages (400, 403, 404, 500) in the site's look and the visitor's language.

A message given to ``Http404`` or ``PermissionDenied`` is shown only when it was written for
people, that is translated with gettext: it is then a text of the translation catalogue. Other
messages ("unknown session") are for developers and stay out of the page. The 500 page is
rendered without the database nor context processors, since either may be what failed.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language, trans_real


@functools.cache
def _catalogue_texts(language: str) -> frozenset[str]:
    """Every msgid and translated text of ``language``'s catalogue (source texts included)."""
    texts: set[str] = set()
    for key, value in trans_real.translation(language)._catalog.items():
        texts.add(key[0] if isinstance(key, tuple) else key)
        texts.add(value)
    texts.discard("")
    return frozenset(texts)


def user_message(exception: BaseException | None) -> str:
    """The exception's message when it is a translated, user-facing text; else ``""``."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or not message:
        return ""
    for language in {get_language() or settings.LANGUAGE_CODE, settings.LANGUAGE_CODE}:
        if message in _catalogue_texts(language):
            return message
    return ""


def _page(request, template: str, status: int, exception=None):
    return render(request, template, {"message": user_message(exception)}, status=status)


def bad_request(request, exception=None):
    """400: the request could not be read."""
    return _page(request, "400.html", 400)


def permission_denied(request, exception=None):
    """403: signed in (or not) without the right to this page."""
    return _page(request, "403.html", 403, exception)


def page_not_found(request, exception=None):
    """404: unknown page, or a link that is invalid or has expired."""
    return _page(request, "404.html", 404, exception)


def server_error(request):
    """500: a static page, without context processors nor any database query."""
    return HttpResponseServerError(loader.get_template("500.html").render())
