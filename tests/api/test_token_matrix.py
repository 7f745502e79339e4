"""The role matrix for API tokens: a client-scoped token never reaches another organisation's data.

Every collection of the API is listed in ``COLLECTIONS`` (a new one fails
``test_every_collection_is_in_the_token_matrix``). For each, a client token of "Ma Société" gets
404 on the object of "Autre Société" (as on an unknown id), 200 on its own, and lists only its
own; read-only and planner tokens reach both.
"""

from __future__ import annotations

import pytest

from academy.api.models import ApiToken
from academy.api.urls import router
from tests.factories.api import api_token

from .conftest import ApiClient
from .world import build_token_world

pytestmark = pytest.mark.django_db

#: Collections holding one organisation's objects.
COLLECTIONS = [
    "sessions",
    "bookings",
    "enrolments",
    "attendance",
    "certificates",
    "quotes",
    "agreements",
    "invoices",
    "organisations",
    "contacts",
]
#: Collections a client token never reads (their objects are the training organisation's own).
STAFF_ONLY = ["leads", "evaluation-responses"]
#: The public catalogue: every token reads it.
CATALOGUE = ["courses"]


@pytest.fixture
def world(db):
    return build_token_world()


def test_every_collection_is_in_the_token_matrix():
    registered = {prefix for prefix, _viewset, _basename in router.registry}
    assert registered == set(COLLECTIONS) | set(STAFF_ONLY) | set(CATALOGUE)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_a_client_token_gets_404_on_another_organisations_object(world, collection):
    client = ApiClient(world.mine.raw_token)
    foreign = client.get("/api/v1/%s/%d/" % (collection, world.theirs.ids[collection]))
    unknown = client.get("/api/v1/%s/999999/" % collection)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json()["detail"] == unknown.json()["detail"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_a_client_token_reads_its_own_object(world, collection):
    client = ApiClient(world.mine.raw_token)
    assert client.get("/api/v1/%s/%d/" % (collection, world.mine.ids[collection])).status_code == 200


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_a_client_tokens_lists_hold_only_its_own_objects(world, collection):
    listed = ApiClient(world.mine.raw_token).get("/api/v1/%s/?page_size=200" % collection).json()["results"]
    ids = {item["id"] for item in listed}
    assert world.mine.ids[collection] in ids
    assert world.theirs.ids[collection] not in ids


@pytest.mark.parametrize("collection", STAFF_ONLY)
def test_a_client_token_reads_nothing_of_the_staff_only_collections(world, collection):
    client = ApiClient(world.mine.raw_token)
    assert client.get("/api/v1/%s/" % collection).json()["count"] == 0
    assert client.get("/api/v1/%s/%d/" % (collection, world.staff_only[collection])).status_code == 404


@pytest.mark.parametrize("scope", [ApiToken.Scope.READ_ONLY, ApiToken.Scope.PLANNER])
@pytest.mark.parametrize("collection", COLLECTIONS + STAFF_ONLY)
def test_staff_tokens_read_every_organisations_objects(world, scope, collection):
    client = ApiClient(api_token(scope)[1])
    objects = (
        [world.staff_only[collection]]
        if collection in STAFF_ONLY
        else [world.mine.ids[collection], world.theirs.ids[collection]]
    )
    for pk in objects:
        assert client.get("/api/v1/%s/%d/" % (collection, pk)).status_code == 200


def test_a_client_token_cannot_cancel_another_organisations_enrolment(world):
    client = ApiClient(world.mine.raw_token)
    response = client.post("/api/v1/enrolments/%d/cancel/" % world.theirs.ids["enrolments"])
    assert response.status_code == 404


def test_a_client_token_books_for_its_own_organisation_only(world):
    from academy.enrolment.models import Booking
    from tests.enrolment.helpers import open_session

    from .helpers import ZOE, booking_body

    client = ApiClient(world.mine.raw_token)
    body = booking_body(open_session(), ZOE, organisation_name="Autre Société")
    response = client.post("/api/v1/bookings/", body)
    assert response.status_code == 201, response.content
    assert Booking.objects.get(pk=response.json()["id"]).client_organisation == world.mine.organisation


def test_a_client_token_cannot_add_organisations(world):
    response = ApiClient(world.mine.raw_token).post("/api/v1/organisations/", {"name": "Nouvelle"})
    assert response.status_code == 403


@pytest.mark.parametrize("collection", COLLECTIONS + STAFF_ONLY + CATALOGUE)
def test_a_list_makes_a_bounded_number_of_queries(world, collection, django_assert_max_num_queries):
    from .world import build_owned

    client = ApiClient(api_token(ApiToken.Scope.PLANNER)[1])
    client.get("/api/v1/%s/" % collection)  # warm caches (content types)
    for n in range(3):
        build_owned("Société %d" % n, 10 + n)
    with django_assert_max_num_queries(14):
        response = client.get("/api/v1/%s/?page_size=200" % collection)
    assert response.status_code == 200
