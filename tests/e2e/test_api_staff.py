"""API tokens, webhooks and the API documentation in a real browser, in French, under the CSP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.core import ClientOrganisationFactory
from tests.factories.privacy import PASSWORD, staff_admin

pytestmark = pytest.mark.e2e


def test_an_administrator_creates_a_client_token_and_reads_the_api_documentation(page, screenshot):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    staff_admin(username="admin-api")
    ClientOrganisationFactory(name="Coopérative Exemple")

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "admin-api")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")

    page.goto(reverse("accounts:home"))
    page.get_by_role("link", name="Jetons d’API").click()
    page.get_by_label("Nom du jeton").fill("CRM")
    page.get_by_label("Les données d’une seule entreprise cliente").check()
    page.get_by_label("Entreprise cliente", exact=True).select_option(label="Coopérative Exemple")
    page.get_by_label("Expire le").fill("2027-06-30")
    page.get_by_role("button", name="Créer le jeton").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("acad_")
    assert page.get_by_text("il n’est affiché qu’une fois").is_visible()
    screenshot(page, "api-token-created")

    page.goto(reverse("api_staff:webhooks"))
    page.get_by_label("Nom du point de réception").fill("CRM")
    page.locator("#id_url").fill("https://crm.exemple.fr/hooks/academy")
    page.get_by_label("Inscription confirmée").check()
    page.get_by_role("button", name="Enregistrer le point de réception").click()
    assert page.get_by_text("Secret de signature").is_visible()
    screenshot(page, "api-webhook-endpoint")

    page.goto(reverse("api:docs"))
    page.locator(".swagger-ui .info").wait_for()
    assert page.get_by_text("Academy API").first.is_visible()
    screenshot(page, "api-docs")
    assert violations == []
