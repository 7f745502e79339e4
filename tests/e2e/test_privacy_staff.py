"""Staff privacy pages in a real browser, under the Content Security Policy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.privacy import PASSWORD, LeadFactory, staff_admin

pytestmark = pytest.mark.e2e


def test_an_administrator_finds_exports_and_erases_a_person_with_no_csp_violation(page, seed_course, screenshot):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    staff_admin(username="dpo")
    LeadFactory(course=seed_course, email="zoe.nunez@exemple.fr", first_name="Zoë", last_name="Ñúñez-Łukasiewicz")

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "dpo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")

    page.goto(reverse("privacy:audience"))
    assert page.get_by_role("heading", name="Audience").is_visible()
    page.goto(reverse("privacy:people"))
    page.get_by_label("Adresse e-mail de la personne").fill("zoe.nunez@exemple.fr")
    page.get_by_role("button", name="Chercher").click()
    assert page.get_by_text("Ñúñez-Łukasiewicz").first.is_visible()
    screenshot(page, "privacy-person")
    page.get_by_label("Saisissez à nouveau").fill("zoe.nunez@exemple.fr")
    page.get_by_role("button", name="Effacer").click()
    assert page.get_by_role("heading", name="Personne effacée").is_visible()

    page.goto(reverse("accounts:two_factor"))
    assert page.locator("svg").first.is_visible()
    screenshot(page, "privacy-two-factor")
    page.goto(reverse("admin:core_auditlogentry_changelist"))
    assert page.get_by_text("Erasure of a person's data").first.is_visible()
    assert violations == []
