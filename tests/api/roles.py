"""Who may reach the API's URLs with a browser session, and the staff pages of tokens and webhooks.

The API itself takes no cookie session: every signed-in role, staff included, gets 401 there
(what tokens reach is asserted by ``tests/api/test_token_matrix.py``). Its schema and its
documentation are public. Tokens and webhooks are managed by administrators only.
"""

from __future__ import annotations

from tests.accounts.role_matrix import ADMINS, EVERYONE, NOBODY, Rule


def _unauthorised(response) -> bool:
    return response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def _api(detail: bool = False, method: str = "GET") -> Rule:
    return Rule(
        NOBODY,
        kwargs=(lambda w: {"pk": w.enrolment.pk}) if detail else (lambda w: {}),
        method=method,
        refused_when=_unauthorised,
    )


def _token(world) -> dict:
    from tests.factories.api import api_token

    return {"pk": api_token()[0].pk}


def _endpoint(world) -> dict:
    from tests.factories.api import webhook_endpoint

    return {"pk": webhook_endpoint("https://hooks.exemple.fr/academy").pk}


def _delivery(world) -> dict:
    from academy.api.models import WebhookDelivery
    from tests.factories.api import webhook_endpoint

    endpoint = webhook_endpoint("https://hooks.exemple.fr/academy")
    return {"pk": WebhookDelivery.objects.create(endpoint=endpoint, event="enrolment.confirmed", payload={}).pk}


COLLECTIONS = [
    "course",
    "session",
    "booking",
    "enrolment",
    "attendance",
    "certificate",
    "evaluation-response",
    "lead",
    "quote",
    "agreement",
    "invoice",
    "organisation",
    "contact",
]

MATRIX = {
    "api:schema": Rule(EVERYONE),
    "api:docs": Rule(EVERYONE),
    # Any other path under /api/ answers a 404 problem document.
    "api:not_found": Rule(NOBODY),
    **{"api:%s-list" % name: _api() for name in COLLECTIONS},
    **{"api:%s-detail" % name: _api(detail=True) for name in COLLECTIONS},
    "api:enrolment-cancel": _api(detail=True, method="POST"),
    "api:booking-agreement": _api(detail=True, method="POST"),
    "api:lead-quote": _api(detail=True, method="POST"),
    "api:quote-issue": _api(detail=True, method="POST"),
    "api:quote-agreement": _api(detail=True, method="POST"),
    "api:agreement-issue": _api(detail=True, method="POST"),
    "api:invoice-issue": _api(detail=True, method="POST"),
    "api_staff:tokens": Rule(ADMINS),
    "api_staff:token_revoke": Rule(ADMINS, kwargs=_token, method="POST"),
    "api_staff:webhooks": Rule(ADMINS),
    "api_staff:webhook": Rule(ADMINS, kwargs=_endpoint),
    "api_staff:webhook_toggle": Rule(ADMINS, kwargs=_endpoint, method="POST"),
    "api_staff:delivery_replay": Rule(ADMINS, kwargs=_delivery, method="POST"),
}
