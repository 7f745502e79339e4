"""Error answers of the API: problem documents in the request's language, whatever the body sent."""

from __future__ import annotations

import pytest

from academy.api.parsers import MAX_DEPTH, too_deep
from tests.factories.enrolment import EnrolmentFactory

pytestmark = pytest.mark.django_db

DEEP_BODIES = {
    "arrays 50000 deep": "[" * 50000 + "]" * 50000,
    "objects 50000 deep": '{"a":' * 50000 + "1" + "}" * 50000,
    "arrays just over the limit": "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
}


def write_paths() -> list[str]:
    enrolment = EnrolmentFactory()
    return ["/api/v1/bookings/", "/api/v1/organisations/", "/api/v1/enrolments/%d/cancel/" % enrolment.pk]


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_json_nested_too_deep_gets_a_400_problem_not_a_server_error(planner_api, body):
    for path in write_paths():
        response = planner_api.post(path, body, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 400, path
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["title"] == "Requête invalide"
        assert problem["detail"] == "Le JSON de la requête est trop profondément imbriqué (32 niveaux au plus)."


def test_json_nested_within_the_limit_is_parsed():
    assert not too_deep([[1, {"a": [2]}]])
    nested = []
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    assert not too_deep(nested) and too_deep([nested])


def test_malformed_and_undecodable_bodies_are_explained_in_french(planner_api):
    broken = planner_api.post("/api/v1/organisations/", "{oops", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert broken["title"] == "Requête invalide"
    assert broken["detail"] == "Le corps de la requête n’est pas un JSON valide (ligne 1, colonne 2)."
    binary = planner_api.post("/api/v1/organisations/", b"\xff\xfe", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert binary["detail"] == "Le corps de la requête n’est pas un texte UTF-8 valide."
    english = planner_api.post("/api/v1/organisations/", "{oops", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "Bad request" and "not valid JSON" in english["detail"]


def test_a_null_body_is_refused_in_the_request_language(planner_api):
    response = planner_api.post("/api/v1/organisations/", "null", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Aucune donnée envoyée" in response.json()["detail"]
    assert "No data provided" not in response.content.decode()


def test_problem_titles_follow_the_request_language(client, planner_api):
    unauthenticated = client.get("/api/v1/bookings/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert unauthenticated["title"] == "Authentification requise"
    assert client.get("/api/v1/bookings/", HTTP_ACCEPT_LANGUAGE="en").json()["title"] == "Authentication required"
    missing = planner_api.get("/api/v1/bookings/999999/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert missing["title"] == "Introuvable"


def test_a_missing_object_and_an_unknown_url_have_the_same_404_wording(planner_api):
    missing = planner_api.get("/api/v1/bookings/999999/", HTTP_ACCEPT_LANGUAGE="fr")
    unknown = planner_api.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="fr")
    assert missing.status_code == unknown.status_code == 404
    assert (
        missing.json()["detail"]
        == unknown.json()["detail"]
        == "Cette ressource n’existe pas dans l’API : voir /api/v1/docs/."
    )
    assert missing.json()["title"] == unknown.json()["title"] == "Introuvable"
