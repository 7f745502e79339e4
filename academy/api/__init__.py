"""The REST API (``/api/v1/``) and outgoing webhooks: the only app that knows the REST framework."""
