"""An e-mail backend for worker tests: writes messages to files, stalling first when asked to."""

from __future__ import annotations

import os
import pathlib
import time

from django.core.mail.backends.filebased import EmailBackend


class StallingFileBackend(EmailBackend):
    """File backend that, when ``ACADEMY_TEST_STALL_SECONDS`` is set, touches ``ACADEMY_TEST_STALL_MARKER``
    and sleeps that long before writing, so a test can kill the worker in the middle of a delivery."""

    def send_messages(self, email_messages):
        stall = float(os.environ.get("ACADEMY_TEST_STALL_SECONDS", "0"))
        if stall:
            pathlib.Path(os.environ["ACADEMY_TEST_STALL_MARKER"]).touch()
            time.sleep(stall)
        return super().send_messages(email_messages)
