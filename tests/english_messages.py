"""A fixture for service tests that read the English source messages."""

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
