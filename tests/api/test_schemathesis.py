"""The served OpenAPI schema against the API itself, with schemathesis (property-based).

The schema is read from ``/api/v1/schema/`` as a client reads it, then every operation is called
with generated inputs, valid and invalid, with a planner token. Checks: no 5xx, every status code,
content type, header and body conforms to the schema, and invalid input is refused with a 4xx.
Examples per operation are bounded (``API_FUZZ_EXAMPLES``, 15 by default) to keep the run short.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from academy.api.models import ApiToken
from tests.factories.api import api_token

from .world import build_token_world

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def operations():
    """Every operation of the schema served at ``/api/v1/schema/`` (read through the WSGI application)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def keep_test_connection():
    """Keep the test's database connection open across WSGI requests, as Django's test client does.

    A WSGI handler closes the connection when each request finishes; the test's transaction
    (and on PostgreSQL, the connection itself) must survive every generated request.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def planner_token(db, settings, keep_test_connection):
    settings.ACADEMY_API_RATE = "100000/min"
    build_token_world()
    return api_token(ApiToken.Scope.PLANNER)[1]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_conforms_to_its_served_schema(planner_token, mode):
    headers = {"Authorization": "Bearer %s" % planner_token}
    found = operations()
    assert len(found) >= 25  # every collection's list and detail, bookings, cancellation, organisations
    failures = []
    for operation in found:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            # A query parameter whose value is an empty object or list is not sent at all: such a
            # "negative" case is a valid request on the wire, and accepting it is right.
            assume(not any(value in ({}, [], None) for value in (case.query or {}).values()))
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except Exception as exc:  # gathered so that one run reports every failing operation
            failures.append("%s %s: %s" % (operation.method.upper(), operation.path, exc))
    assert not failures, "\n\n".join(failures)
