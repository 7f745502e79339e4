import pytest

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks in-process: settings are loaded before the root conftest's environment default."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to an /en/ page leaves English active in the test's thread: restore the default after each test."""
    from django.utils import translation

    yield
    translation.deactivate()
