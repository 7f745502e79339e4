import pytest


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to an /en/ page leaves English active in the test's thread: restore the default after each test."""
    from django.utils import translation

    yield
    translation.deactivate()
