import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in the default language: a previous request may have left English active."""
    with translation.override("fr"):
        yield
