"""Tokens: hashed, scoped, expiring, revocable, audited at every use, rate limited; no cookie session."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from academy.api.models import ApiToken
from academy.api.tokens import hash_token, revoke_token
from academy.core.models import AuditLogEntry
from tests.factories.api import api_token
from tests.factories.privacy import staff_admin

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_request_without_token_gets_a_401_problem_document():
    response = Client().get("/api/v1/courses/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["title"] and body["detail"]


def test_a_signed_in_administrators_session_cookie_opens_nothing_on_the_api():
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_admin())
    assert client.get("/api/v1/courses/").status_code == 401
    assert client.post("/api/v1/organisations/", {"name": "X"}, content_type="application/json").status_code == 401


def test_only_the_hash_of_a_token_is_stored():
    token, raw = api_token()
    stored = ApiToken.objects.filter(pk=token.pk).values_list("prefix", "secret_hash").get()
    assert raw not in stored and stored[1] == hash_token(raw)
    assert raw.startswith("acad_%s_" % token.prefix)


def test_a_forged_secret_with_a_real_prefix_is_refused():
    token, raw = api_token()
    forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert ApiClient(forged).get("/api/v1/courses/").status_code == 401


def test_an_expired_token_is_refused():
    token, raw = api_token()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = ApiClient(raw).get("/api/v1/courses/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"] or "expiré" in response.json()["detail"]


def test_a_revoked_token_is_refused():
    token, raw = api_token()
    assert ApiClient(raw).get("/api/v1/courses/").status_code == 200
    assert revoke_token(token=token, by=None)
    assert ApiClient(raw).get("/api/v1/courses/").status_code == 401


def test_every_use_of_a_token_is_audited():
    token, raw = api_token()
    client = ApiClient(raw)
    assert client.get("/api/v1/courses/").status_code == 200, client.get("/api/v1/courses/").content
    assert client.get("/api/v1/sessions/?status=open").status_code == 200
    uses = AuditLogEntry.objects.filter(event="api_token.used", object_id=str(token.pk)).order_by("at", "pk")
    assert [entry.data["path"] for entry in uses] == ["/api/v1/courses/", "/api/v1/sessions/"]
    assert all(entry.data["method"] == "GET" for entry in uses)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_only_token_cannot_write(read_only_api):
    response = read_only_api.post("/api/v1/organisations/", {"name": "Nouvelle"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_over_its_rate_gets_429_with_retry_after(settings):
    settings.ACADEMY_API_RATE = "3/min"
    client = ApiClient(api_token()[1])
    answers = [client.get("/api/v1/courses/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response = client.get("/api/v1/courses/")
    assert int(response["Retry-After"]) > 0 and response.json()["status"] == 429
    # Another token keeps its own count.
    assert ApiClient(api_token()[1]).get("/api/v1/courses/").status_code == 200


def test_a_client_token_needs_its_organisation():
    from academy.api.tokens import create_token

    with pytest.raises(ValueError, match="client organisation"):
        create_token(name="x", scope="client", expires_at=timezone.now() + datetime.timedelta(days=1), by=None)


def test_an_address_sending_wrong_tokens_in_a_loop_is_slowed_down():
    from academy.api.authentication import FAILURES_PER_MINUTE

    client = ApiClient("acad_000000000000_wrong")
    answers = [client.get("/api/v1/courses/").status_code for _ in range(FAILURES_PER_MINUTE + 1)]
    assert answers[:FAILURES_PER_MINUTE] == [401] * FAILURES_PER_MINUTE
    assert answers[-1] == 429
