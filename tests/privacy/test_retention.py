"""The retention job applies the documented periods (docs/privacy.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from academy.catalog.models import Lead
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.privacy.models import ConsentRecord
from academy.privacy.retention import RETENTION_PERIODS
from academy.privacy.services import apply_retention
from academy.privacy.tasks import apply_retention_task
from tests.factories.privacy import LeadFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def age(model, pk, field, delta):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - delta})


def test_leads_go_three_years_after_their_last_activity():
    old, recent = LeadFactory(), LeadFactory()
    age(Lead, old.pk, "updated_at", timedelta(days=3 * 365) + DAY)
    age(Lead, recent.pk, "updated_at", timedelta(days=3 * 365) - DAY)
    apply_retention()
    assert list(Lead.objects.values_list("pk", flat=True)) == [recent.pk]


def test_emails_go_after_three_years():
    old, recent = OutboundEmailFactory(), OutboundEmailFactory()
    age(OutboundEmail, old.pk, "created_at", timedelta(days=3 * 365) + DAY)
    apply_retention()
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [recent.pk]


def test_audit_entries_go_after_a_year_but_records_of_rights_after_five():
    view = AuditLogEntry.objects.create(action="view", object_type="x")
    erase = AuditLogEntry.objects.create(action="erase", object_type="person")
    old_erase = AuditLogEntry.objects.create(action="erase", object_type="person")
    age(AuditLogEntry, view.pk, "at", timedelta(days=366))
    age(AuditLogEntry, erase.pk, "at", timedelta(days=366))
    age(AuditLogEntry, old_erase.pk, "at", timedelta(days=5 * 365 + 1))
    apply_retention()
    assert list(AuditLogEntry.objects.values_list("pk", flat=True)) == [erase.pk]


def test_consent_proofs_go_after_five_years():
    old = ConsentRecord.objects.create(consent_id="a" * 32, banner_version="2026-1", action="accept_all")
    kept = ConsentRecord.objects.create(consent_id="b" * 32, banner_version="2026-1", action="refuse_all")
    age(ConsentRecord, old.pk, "at", timedelta(days=5 * 365 + 1))
    apply_retention()
    assert list(ConsentRecord.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_retention_task_runs_every_provider_and_is_idempotent():
    LeadFactory()
    first = apply_retention_task.call()
    second = apply_retention_task.call()
    assert set(first) >= {"core", "catalog", "privacy"} and first == second


def test_the_documented_table_matches_the_privacy_policy_rows():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text(encoding="utf-8")
    with translation.override("en"):
        for row in RETENTION_PERIODS:
            assert (
                "| %s | %s | %s | %s | %s |" % (row.data, row.purpose, row.legal_basis, row.period, row.source) in doc
            )
