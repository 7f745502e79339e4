"""Administrators create and revoke API tokens from the staff page; the value is shown once."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from academy.api.models import ApiToken
from academy.core.models import AuditLogEntry
from tests.factories.core import ClientOrganisationFactory
from tests.factories.privacy import staff_admin, staff_planner

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def admin_client() -> Client:
    client = Client()
    client.force_login(staff_admin())
    return client


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_an_administrator_creates_a_client_token_and_sees_it_once():
    organisation = ClientOrganisationFactory(name="Coopérative Exemple")
    client = admin_client()
    response = client.post(
        "/staff/api/tokens/",
        {"name": "CRM", "scope": "client", "client_organisation": organisation.pk, "expires_on": in_days(90)},
    )
    assert response.status_code == 200
    raw = response.context["created"]["raw"]
    assert raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.client_organisation == organisation and token.scope == "client"
    assert raw not in client.get("/staff/api/tokens/").content.decode()
    assert ApiClient(raw).get("/api/v1/organisations/").json()["results"][0]["name"] == "Coopérative Exemple"
    assert AuditLogEntry.objects.filter(event="api_token.created", object_id=str(token.pk)).exists()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "X", "scope": "client", "expires_on": in_days(10)}, "client_organisation"),
        ({"name": "X", "scope": "planner", "expires_on": in_days(0)}, "expires_on"),
        ({"name": "X", "scope": "planner", "expires_on": in_days(800)}, "expires_on"),
        ({"name": "X", "scope": "everything", "expires_on": in_days(10)}, "scope"),
    ],
)
def test_a_token_form_with_a_mistake_says_where(data, field):
    response = admin_client().post("/staff/api/tokens/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token_at_once():
    client = admin_client()
    response = client.post("/staff/api/tokens/", {"name": "BI", "scope": "read_only", "expires_on": in_days(5)})
    raw = response.context["created"]["raw"]
    token = ApiToken.objects.get()
    assert client.post("/staff/api/tokens/%d/revoke/" % token.pk).status_code == 302
    assert ApiClient(raw).get("/api/v1/courses/").status_code == 401


def test_a_planner_cannot_create_tokens():
    client = Client()
    client.force_login(staff_planner())
    response = client.post("/staff/api/tokens/", {"name": "X", "scope": "planner", "expires_on": in_days(10)})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()
