"""The seed course page in headless Chromium: blocks visible, English switch, programme download."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

BLOCKS = [
    "#block-key-facts",
    "#block-description",
    "#block-objectives",
    "#block-audience",
    "#block-prerequisites",
    "#block-teaching-methods",
    "#block-accessibility",
    "#block-trainer-profile",
    "#block-evaluation",
    "#block-programme",
    "#block-practical",
    "#block-other-courses",
    "#sessions",
]


def test_seed_course_page_shows_its_blocks_switches_to_english_and_downloads_the_programme(
    transactional_db, seed_course, page, screenshot
):
    page.goto("/courses/COMNUM/")
    assert page.locator("h1").inner_text() == "Les communs numériques"
    for selector in BLOCKS:
        assert page.locator(selector).is_visible(), selector
    assert page.get_by_text("Découvrir le concept des « communs »").is_visible()
    assert page.get_by_text("Aucune session n'est programmée pour le moment.").is_visible()
    assert page.locator(".exercise").first.is_visible()
    screenshot(page, "catalogue-course-fr")

    with page.expect_download() as download_info:
        page.locator("#block-key-facts ~ .hero-actions a[download]").click()
    download = download_info.value
    assert download.suggested_filename == "programme-COMNUM.pdf"
    text = " ".join(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages).split()
    )
    assert "INTRODUCTION AUX COMMUNS NUMÉRIQUES" in text

    page.get_by_role("button", name="EN").click()
    page.wait_for_url("**/en/courses/COMNUM/")
    assert page.get_by_role("heading", name="Detailed programme").is_visible()
    assert page.get_by_text("No session is scheduled for the moment.").is_visible()
    screenshot(page, "catalogue-course-en")


def test_catalogue_listing_and_quote_form(transactional_db, seed_course, page, screenshot):
    page.goto("/")
    assert page.get_by_role("link", name="COMNUM Les communs numériques").is_visible()
    screenshot(page, "catalogue-listing")
    page.goto("/courses/COMNUM/quote/")
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.locator(".field.has-error").first.is_visible()
    screenshot(page, "catalogue-quote-errors")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/courses/COMNUM/")
    screenshot(page, "catalogue-course-mobile")
