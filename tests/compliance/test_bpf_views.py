"""The staff pages of the yearly report (BPF), in French as staff use them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from academy.compliance.models import BpfReport
from academy.core.models import AuditLogEntry
from academy.enrolment.models import Enrolment
from academy.invoicing.models import Invoice
from tests.clock import CLOCK
from tests.factories.privacy import staff_admin, staff_planner

from .bpf_world import build_year

pytestmark = pytest.mark.django_db

YEAR_URL = reverse("compliance:bpf_year", kwargs={"year": 2026})


@pytest.fixture
def world():
    try:
        yield build_year()
    finally:
        CLOCK.back_to_now()


@pytest.fixture
def planner(client):
    client.force_login(staff_planner())
    return client


def test_the_page_shows_every_frame_and_links_each_figure_to_its_records(world, planner):
    html = planner.get(YEAR_URL).content.decode()
    for frame in ("C", "D", "E", "F-1", "F-2", "F-3", "F-4"):
        assert 'data-frame="%s"' % frame in html
    assert 'data-line="C/1"' in html
    line_url = reverse("compliance:bpf_line", kwargs={"year": 2026, "frame": "F-1", "code": "c"})
    assert line_url in html
    drill = planner.get(line_url).content.decode()
    assert "Driss Stagiaire" in drill
    assert "Alice Stagiaire" not in drill


def test_the_page_makes_a_bounded_number_of_queries(world, planner, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert planner.get(YEAR_URL).status_code == 200


def test_a_year_with_missing_data_lists_what_to_complete_and_refuses_the_exports(world, planner):
    Enrolment.objects.filter(pk=world.enrolments.e5.pk).update(trainee_category="")
    Invoice.objects.filter(pk=world.invoices.chloe.pk).update(funding_type="")
    html = planner.get(YEAR_URL).content.decode()
    assert "data-bpf-missing" in html
    assert 'data-record="enrolment-%s"' % world.enrolments.e5.pk in html
    assert 'data-record="invoice-%s"' % world.invoices.chloe.pk in html
    assert 'data-check="f_totals_hours" class="failed"' in html
    response = planner.get(reverse("compliance:bpf_export", kwargs={"year": 2026, "fmt": "pdf"}))
    assert response.status_code == 302
    # Staff complete the invoice from the list, then the category in the admin.
    response = planner.post(
        reverse("compliance:bpf_invoice_funding_type", kwargs={"pk": world.invoices.chloe.pk}),
        {"funding_type": "individual"},
    )
    assert response.status_code == 302 and response["Location"] == YEAR_URL
    assert Invoice.objects.get(pk=world.invoices.chloe.pk).funding_type == "individual"
    assert AuditLogEntry.objects.filter(event="invoice.funding_type_set").count() == 1
    Enrolment.objects.filter(pk=world.enrolments.e5.pk).update(trainee_category="private_employee")
    assert "data-bpf-missing" not in planner.get(YEAR_URL).content.decode()


def test_an_unknown_funding_type_is_refused(world, planner):
    planner.post(
        reverse("compliance:bpf_invoice_funding_type", kwargs={"pk": world.invoices.chloe.pk}),
        {"funding_type": "devinette"},
    )
    assert Invoice.objects.get(pk=world.invoices.chloe.pk).funding_type == "individual"


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
    ],
)
def test_each_export_downloads(world, planner, fmt, content_type):
    response = planner.get(reverse("compliance:bpf_export", kwargs={"year": 2026, "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == 'attachment; filename="bpf-2026-07-01.%s"' % fmt


def test_the_json_carries_the_figures(world, planner):
    response = planner.get(reverse("compliance:bpf_export", kwargs={"year": 2026, "fmt": "json"}))
    figures = json.loads(response.content)
    assert figures["fiscal_year"] == {"starts_on": "2026-07-01", "ends_on": "2027-06-30"}
    assert figures["frames"]["F-1"]["total"] == {"trainees": 8, "hours": 79}


def test_charges_are_entered_then_the_year_is_locked_by_an_administrator(world, planner, client):
    planner.post(reverse("compliance:bpf_charges", kwargs={"year": 2026}), {"charges_total": "5000.40"})
    assert BpfReport.objects.get().charges_total == Decimal("5000.40")
    assert planner.post(reverse("compliance:bpf_lock", kwargs={"year": 2026})).status_code == 403
    client.force_login(staff_admin())
    client.post(reverse("compliance:bpf_lock", kwargs={"year": 2026}))
    report = BpfReport.objects.get()
    assert report.is_locked
    assert report.snapshot["frames"]["D"]["total"] == {"amount": 5000}
    # Charges no longer change; a later correction shows as a difference.
    client.post(reverse("compliance:bpf_charges", kwargs={"year": 2026}), {"charges_total": "1"})
    assert BpfReport.objects.get().charges_total == Decimal("5000.40")
    Enrolment.objects.filter(pk=world.enrolments.e7.pk).update(trainee_category="job_seeker")
    html = client.get(YEAR_URL).content.decode()
    assert "data-bpf-locked" in html and "data-bpf-changes" in html


@pytest.mark.parametrize("typed", ["1 234,56", "1\u00a0234,56", "1\u202f234,56", "1234,56"])
def test_charges_accept_french_numbers_with_spaces_between_thousands(world, planner, typed):
    response = planner.post(reverse("compliance:bpf_charges", kwargs={"year": 2026}), {"charges_total": typed})
    assert response.status_code == 302
    assert BpfReport.objects.get().charges_total == Decimal("1234.56")


def test_charges_in_error_keep_what_was_typed_and_space_the_colon_the_french_way(world, planner):
    response = planner.post(reverse("compliance:bpf_charges", kwargs={"year": 2026}), {"charges_total": "12 abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="12 abc"' in html
    assert "(€)\u00a0: Saisissez un nombre." in html


def test_bad_input_never_answers_500(world, planner):
    assert planner.get(reverse("compliance:bpf_year", kwargs={"year": 1})).status_code == 404
    assert planner.get(reverse("compliance:bpf_export", kwargs={"year": 2026, "fmt": "exe"})).status_code == 404
    line = reverse("compliance:bpf_line", kwargs={"year": 2026, "frame": "Z", "code": "<x>"})
    assert planner.get(line).status_code == 404
    response = planner.post(reverse("compliance:bpf_charges", kwargs={"year": 2026}), {"charges_total": "-5"})
    assert response.status_code == 200
    assert BpfReport.objects.get().charges_total is None
    assert planner.get(reverse("compliance:bpf_index")).status_code == 200


def test_staff_find_the_report_and_the_lheo_pages_in_their_space(planner, client):
    html = planner.get(reverse("accounts:home")).content.decode()
    assert reverse("compliance:bpf_index") in html
    assert reverse("compliance:lheo_import") in html
    client.logout()
    from tests.factories.privacy import trainee_user

    client.force_login(trainee_user())
    assert reverse("compliance:bpf_index") not in client.get(reverse("accounts:home")).content.decode()
