"""Django's development server, as ``make run`` uses it, with room for a burst of visitors.

Django's own server keeps only 10 connections waiting to be accepted; past that the system
refuses or resets them, so a handful of people posting the same form at the same moment see
"connection reset" before the application is even reached. This server lets the system queue
up to ``REQUEST_QUEUE_SIZE`` connections; each is then served on its own thread as before.
"""

from __future__ import annotations

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserverCommand
from django.core.servers.basehttp import WSGIServer

REQUEST_QUEUE_SIZE = 256


class QueueingWSGIServer(WSGIServer):
    """Django's WSGI server with a listen backlog of ``REQUEST_QUEUE_SIZE`` connections."""

    request_queue_size = REQUEST_QUEUE_SIZE


class Command(StaticfilesRunserverCommand):
    server_cls = QueueingWSGIServer
