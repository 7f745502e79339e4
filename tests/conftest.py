"""Shared test set-up: tasks run immediately, files go to a temporary folder."""

from __future__ import annotations

import os

import pytest

# Background tasks run in-process during tests so their effects can be asserted.
os.environ.setdefault("ACADEMY_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

ARTEFACTS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artefacts")


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
    """The seed masterclass on digital commons, as the catalogue holds it.

    Loaded from the bundled course file once the import service exists; until then built with
    factories from the seed page's own objectives.
    """
    from tests.factories.catalog import CourseFactory, LearningObjectiveFactory
    from tests.factories.core import TrainingOrganisationFactory

    TrainingOrganisationFactory()
    course = CourseFactory(code="COMNUM", title="Masterclass Communs numériques", format="Masterclass")
    for position, text in enumerate(SEED_OBJECTIVES):
        LearningObjectiveFactory(course=course, position=position, text=text)
    return course
