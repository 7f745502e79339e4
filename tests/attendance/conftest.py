import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages(request):
    """Service tests read the English source messages; page tests (test_views) stay in French,
    the default UI language, so that reverse() gives unprefixed French URLs."""
    if request.module.__name__.endswith("test_views"):
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks in-process so their effects can be asserted (whatever the environment)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
