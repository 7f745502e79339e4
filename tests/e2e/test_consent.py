"""FC-10 in a real browser: cookie refusal is a choice that sticks; withdrawal deletes what it allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.e2e.browser import wait_for_js

pytestmark = pytest.mark.e2e

ESSENTIAL = {"csrftoken", "sessionid", "django_language", "academy_consent"}
TAG_COOKIE = "academy_example_audience"
TAG_PATH = "/static/privacy/tags/"


@pytest.fixture
def consent_tag(settings):
    """An audience-measurement tag gated by consent, as an integrator would configure one."""
    settings.ACADEMY_CONSENT_TAGS = {
        "audience": {"scripts": ["privacy/tags/example_audience.js"], "cookies": [TAG_COOKIE]}
    }


def cookie_names(page) -> set[str]:
    return {c["name"] for c in page.context.cookies()}


def measurement_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if TAG_PATH in url or "collect" in url or "analytics" in url]


def test_fc10_refusal_sticks_and_nothing_non_essential_is_set_or_loaded(page, seed_course, consent_tag, screenshot):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    banner = page.locator("#consent-banner")
    assert banner.is_visible()
    screenshot(page, "fc10-banner")
    accept, refuse = (
        banner.get_by_role("button", name="Tout accepter"),
        banner.get_by_role("button", name="Tout refuser"),
    )
    choose = banner.get_by_role("button", name="Choisir")
    # Same prominence: the three first-layer choices have the same size and colours.
    boxes = [b.bounding_box() for b in (accept, refuse, choose)]
    assert len({(round(b["height"]), round(b["width"])) for b in boxes}) == 1
    styles = [
        b.evaluate("e => getComputedStyle(e).backgroundColor + getComputedStyle(e).fontSize")
        for b in (accept, refuse, choose)
    ]
    assert len(set(styles)) == 1

    refuse.click()
    banner.wait_for(state="detached")
    page.reload()
    assert page.locator("#consent-banner").count() == 0
    for path in (
        "/",
        reverse("catalog:course_detail", kwargs={"code": seed_course.code}),
        reverse("compliance:legal_notice"),
    ):
        page.goto(path)
        assert page.locator("#consent-banner").count() == 0
    screenshot(page, "fc10-after-refusal")
    assert cookie_names(page) <= ESSENTIAL, cookie_names(page)
    assert measurement_requests(requests) == []
    consent = next(c for c in page.context.cookies() if c["name"] == "academy_consent")
    assert consent["value"].endswith("audience:0|relationship:0|advertising:0")
    assert consent["expires"] > 0  # remembered, not a session cookie

    page.goto(reverse("privacy:cookies"))
    assert page.locator("[data-consent-status=refused]").is_visible()


def test_fc10_accepting_then_withdrawing_deletes_the_cookies_it_had_allowed(page, seed_course, consent_tag, screenshot):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    page.locator("#consent-banner").get_by_role("button", name="Tout accepter").click()
    page.locator("#consent-banner").wait_for(state="detached")
    wait_for_js(page, "document.cookie.indexOf('%s=') >= 0" % TAG_COOKIE)
    assert TAG_COOKIE in cookie_names(page)
    assert measurement_requests(requests)  # the tag loaded only now, after consent

    page.get_by_role("link", name="Cookies").click()
    page.get_by_role("button", name="Retirer mon consentement").click()
    page.wait_for_url("**%s" % reverse("privacy:cookies"))
    screenshot(page, "fc10-after-withdrawal")
    assert TAG_COOKIE not in cookie_names(page)
    assert page.locator("[data-consent-status=refused]").is_visible()
    loaded = len(measurement_requests(requests))
    page.goto("/")
    assert len(measurement_requests(requests)) == loaded


def test_fc10_choosing_per_purpose_in_the_banner(page, seed_course, consent_tag):
    page.goto("/")
    banner = page.locator("#consent-banner")
    banner.get_by_role("button", name="Choisir").click()
    banner.get_by_label("Relation").check()
    banner.get_by_role("button", name="Enregistrer mes choix").click()
    banner.wait_for(state="detached")
    consent = next(c for c in page.context.cookies() if c["name"] == "academy_consent")
    assert consent["value"].endswith("audience:0|relationship:1|advertising:0")
    assert TAG_COOKIE not in cookie_names(page)


def test_fc10_the_banner_works_without_javascript(browser, live_server, seed_course, consent_tag):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/")
        page.locator("#consent-banner").get_by_role("button", name="Tout refuser").click()
        page.wait_for_load_state()
        assert page.locator("#consent-banner").count() == 0
        assert "academy_consent" in cookie_names(page)
        page.goto("/")
        assert page.locator("a.consent-button").count() == 0
        page.goto(reverse("privacy:cookies"))
        page.get_by_label("Mesure d’audience").check()
        page.get_by_role("button", name="Enregistrer mes choix").click()
        consent = next(c for c in context.cookies() if c["name"] == "academy_consent")
        assert consent["value"].endswith("audience:1|relationship:0|advertising:0")
    finally:
        context.close()
