from tests.english_messages import _english_messages  # noqa: F401 (autouse fixture)
