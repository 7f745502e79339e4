"""The OpenAPI 3.1 schema and its documentation page are served by Academy itself (no CDN)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_1_and_documents_problem_responses():
    schema = Client().get("/api/v1/schema/?format=json").json()
    assert schema["openapi"] == "3.1.0"
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    booking = schema["paths"]["/api/v1/bookings/"]["post"]
    assert set(booking["responses"]) >= {"200", "201", "400", "401", "403", "409", "429"}
    assert "application/problem+json" in booking["responses"]["400"]["content"]


def test_the_docs_page_loads_only_local_scripts_and_styles():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "<script>" not in html and "<style>" not in html  # the CSP forbids inline code
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    script = Client().get("/api/v1/docs/?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
