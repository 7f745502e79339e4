"""Browser tests: Playwright driving Debian's Chromium, headless, against pytest-django's live server."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ACADEMY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Native widgets (date and time pickers) follow the browser's language: French, as staff use it.
    "--lang=fr-FR",
]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium; skipped with the reason when Chromium is not installed."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("ACADEMY_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium not found at %s and ACADEMY_REQUIRE_BROWSER=1" % CHROMIUM)
        pytest.skip("Chromium not found at %s: apt-get install chromium (browser tests skipped)" % CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) with French locale, pointed at the live server."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot(artefacts_dir):
    """Return ``shoot(page, name)`` saving a full-page PNG under test-artefacts/screenshots/."""
    folder = os.path.join(artefacts_dir, "screenshots")
    os.makedirs(folder, exist_ok=True)

    def shoot(page, name: str) -> str:
        path = os.path.join(folder, "%s.png" % name)
        page.screenshot(path=path, full_page=True)
        return path

    return shoot
