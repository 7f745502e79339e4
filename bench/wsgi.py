"""WSGI entry point of the benchmark server: the production entry point with the benchmark settings."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from academy.wsgi import application  # noqa: E402, F401
