import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service tests read the English source messages; page tests get French from the middleware."""
    with translation.override("en"):
        yield
