"""Settings for a real worker process in tests: the product's, with an e-mail backend that can stall."""

from academy.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.core.slow_mail.StallingFileBackend"
