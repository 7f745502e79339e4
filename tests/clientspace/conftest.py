from tests.clock import restore_clock  # noqa: F401 (fixture)
from tests.english_messages import _english_messages  # noqa: F401 (autouse fixture)
