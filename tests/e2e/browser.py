"""Helpers for browser tests."""

from __future__ import annotations

import time


def wait_for_js(page, expression: str, timeout_s: float = 15) -> None:
    """Poll until the JavaScript ``expression`` is truthy in ``page``.

    Unlike ``page.wait_for_function`` this does not compile the predicate with ``eval`` inside the
    page, which the site's Content Security Policy (no 'unsafe-eval') rightly forbids.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError("still false after %ss: %s" % (timeout_s, expression))
        page.wait_for_timeout(100)
