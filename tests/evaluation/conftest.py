import pytest

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks in-process: settings are loaded before the root conftest's environment default."""
    settings.TASKS = IMMEDIATE_TASKS
