"""WSGI entry point (gunicorn academy.wsgi; Django's server uses it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy.settings")
django_application = get_wsgi_application()

from academy.core.middleware import DeclaredCharsetGuard  # noqa: E402 - needs the settings above

application = DeclaredCharsetGuard(django_application)
