"""Settings of the benchmark server: the product's settings, plus a hello-world view (the floor)."""

from academy.settings import *  # noqa: F403 — the product's settings, unchanged

ROOT_URLCONF = "bench.urls"
