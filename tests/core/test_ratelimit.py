"""One rate-limit decorator guards every public form."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation

from academy.core.ratelimit import ratelimit
from tests.enrolment.helpers import open_session
from tests.factories.catalog import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_counts():
    cache.clear()
    yield
    cache.clear()


def _view(**options):
    @ratelimit("test-form", **options)
    def view(request):
        return HttpResponse("ok")

    return view


def test_past_the_limit_the_decorator_answers_429_with_its_message_and_a_retry_delay(rf):
    view = _view(limit=1, window=60, message="Trop d’envois, patientez.")
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.1")).status_code == 200
    response = view(rf.post("/", REMOTE_ADDR="192.0.2.1"))
    assert response.status_code == 429
    assert "Trop d’envois, patientez." in response.content.decode()
    assert response["Retry-After"] == "60"  # the limit's own window


def test_the_429_page_names_the_wait_of_the_limits_window_not_a_fixed_one(rf):
    view = _view(limit=1, window=3600)
    view(rf.post("/", REMOTE_ADDR="192.0.2.9"))
    with translation.override("fr"):
        response = view(rf.post("/", REMOTE_ADDR="192.0.2.9"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "60 minutes" in response.content.decode()


def test_reading_the_form_is_not_counted(rf):
    view = _view(limit=1, window=60)
    assert [view(rf.get("/", REMOTE_ADDR="192.0.2.2")).status_code for _ in range(3)] == [200, 200, 200]


def test_each_client_address_has_its_own_count(rf):
    view = _view(limit=1, window=60)
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.3")).status_code == 200
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.4")).status_code == 200
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.3")).status_code == 429


def test_a_limit_named_by_a_setting_is_read_at_each_request(rf, settings):
    view = _view(limit=100, window=60, setting="TEST_FORM_RATE_LIMIT")
    settings.TEST_FORM_RATE_LIMIT = (1, 60)
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.5")).status_code == 200
    assert view(rf.post("/", REMOTE_ADDR="192.0.2.5")).status_code == 429


def test_a_decorator_without_a_limit_is_refused_with_its_scope_named():
    with pytest.raises(ValueError, match="ratelimit\\('test-form'\\) needs limit and window"):
        _view()


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("catalog:quote_request", "course"),
        ("catalog:customisation_request", "course"),
        ("catalog:interest_signal", "course"),
        ("catalog:contact", None),
        ("enrolment:enrol", "session"),
        ("privacy:consent", None),
    ],
)
def test_every_public_form_is_rate_limited(client, settings, name, kwargs):
    settings.ENROLMENT_RATE_LIMIT = (10, 600)
    if kwargs == "course":
        url = reverse(name, kwargs={"code": CourseFactory().code})
    elif kwargs == "session":
        url = reverse(name, kwargs={"pk": open_session().pk})
    else:
        url = reverse(name)
    statuses = [client.post(url, {}).status_code for _ in range(61)]
    assert 429 in statuses
    assert all(status != 500 for status in statuses)
