import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in the default language: a previous request may have left English active."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks in-process (the settings may have been loaded before tests/conftest.py set it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
