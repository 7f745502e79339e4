"""Shared test set-up: tasks run immediately, files go to a temporary folder."""

from __future__ import annotations

import os

import pytest

ARTEFACTS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artefacts")


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks in-process so their effects can be asserted (whatever the environment)."""
    settings.TASKS = IMMEDIATE_TASKS


def pytest_report_header(config):
    from django.conf import settings

    return "database: %s" % settings.DATABASES["default"]["ENGINE"]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Store uploaded and generated files in a temporary folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def artefacts_dir() -> str:
    """Folder kept after the run for screenshots and documents worth looking at."""
    os.makedirs(ARTEFACTS_DIR, exist_ok=True)
    return ARTEFACTS_DIR


def is_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def require_postgresql():
    """Skip, saying why, unless the suite runs on PostgreSQL (SQLite hides races)."""
    if not is_postgresql():
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (SQLite serialises writers and hides races)")


SEED_OBJECTIVES = [
    "Découvrir le concept des « communs »",
    "Découvrir les trois grandes typologies de Communs Numériques",
    "Identifier les avantages et contraintes associées aux communs et leur fonctionnement",
    "Expérimenter les communs à travers un cas d'usage concret afin de mieux les comprendre et les mobiliser",
]


@pytest.fixture
def seed_course(db):
    """The seed masterclass on digital commons (code COMNUM), imported from its bundled course file.

    Goes through the catalogue's import service with ``catalogue/organisation.yaml``, exactly as
    ``manage.py import_catalogue`` does, and returns the published Course.
    """
    from django.conf import settings

    from academy.catalog.coursefiles import ORGANISATION_FILE, import_catalogue
    from academy.catalog.models import Course

    import_catalogue(
        paths=[settings.BASE_DIR / "catalogue" / "COMNUM.md", settings.BASE_DIR / "catalogue" / ORGANISATION_FILE]
    )
    return Course.objects.get(code="COMNUM")


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to an /en/ page leaves English active in the test's thread: restore the default after each test."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty cache: no page cached by an earlier test is served."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
