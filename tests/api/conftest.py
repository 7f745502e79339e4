"""Shared fixtures of the API tests: tokens of each scope and a client sending them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from academy.api.models import ApiToken
from tests.factories.api import api_token


class ApiClient:
    """A Django test client that sends ``Authorization: Bearer <raw>`` and JSON bodies."""

    def __init__(self, raw: str | None):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": "Bearer %s" % raw} if raw else {}

    def get(self, path, data=None, **extra):
        return self.client.get(path, data, **self.headers, **extra)

    def post(self, path, data=None, content_type="application/json", **extra):
        return self.client.post(path, data or {}, content_type=content_type, **self.headers, **extra)


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def planner_api(db) -> ApiClient:
    return ApiClient(api_token(ApiToken.Scope.PLANNER)[1])


@pytest.fixture
def read_only_api(db) -> ApiClient:
    return ApiClient(api_token(ApiToken.Scope.READ_ONLY)[1])
