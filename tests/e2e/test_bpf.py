"""The yearly report (BPF) in a real browser, in French: complete a record, download, file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.invoicing.models import Invoice
from tests.clock import CLOCK
from tests.compliance.bpf_world import build_year
from tests.factories.privacy import PASSWORD, staff_admin

pytestmark = pytest.mark.e2e


@pytest.fixture
def _issued_invoices_flushable(transactional_db):
    """Let the database flush after the test remove the issued invoices it made.

    The guards refuse to delete an issued invoice, and SQLite's flush deletes row by row; they are
    dropped once the test is over and come back with the flush's post_migrate (``ensure_guards``).
    """
    yield
    from django.db import connection

    from academy.invoicing.guards import drop_guards

    drop_guards(connection)


@pytest.mark.usefixtures("_issued_invoices_flushable")
def test_an_administrator_completes_a_sale_downloads_and_files_the_year(page, screenshot):
    try:
        world = build_year()
    finally:
        CLOCK.back_to_now()
    Invoice.objects.filter(pk=world.invoices.chloe.pk).update(funding_type="")
    staff_admin(username="direction")

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "direction")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")

    page.goto(reverse("compliance:bpf_year", kwargs={"year": 2026}))
    assert page.get_by_role("heading", name="À compléter avant de pouvoir produire le bilan").is_visible()
    screenshot(page, "bpf-year-to-complete")
    row = page.locator('[data-record="invoice-%s"]' % world.invoices.chloe.pk)
    row.get_by_label("Type de financement").select_option("individual")
    row.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Télécharger").is_visible()
    assert page.locator('[data-check="f_totals_hours"].ok').is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "bpf-2026-07-01.pdf"

    page.get_by_label("total des charges liées à l’activité de formation (€)").fill("5000,40")
    page.get_by_role("button", name="Enregistrer les charges").click()
    assert page.get_by_text("Les charges sont enregistrées.").is_visible()
    page.get_by_role("button", name="Marquer comme déposé et verrouiller l’exercice").click()
    assert page.locator("[data-bpf-locked]").is_visible()
    screenshot(page, "bpf-year-filed")
