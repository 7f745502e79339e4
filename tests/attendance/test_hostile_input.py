"""Hostile drawings posted to the public signing pages answer with a message, never a server error."""

import pytest
from django.urls import reverse

from academy.attendance import services
from academy.attendance.models import Signature

from .helpers import session_happening_now, trainee

pytestmark = pytest.mark.django_db


def test_nested_json_signature_is_refused_with_a_message(client):
    _session, _trainer, slot = session_happening_now()
    enrolment = trainee(_session)
    url = reverse(
        "attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=enrolment)]
    )

    response = client.post(url, {"strokes": "[" * 30_000 + "]" * 30_000}, follow=True)

    assert response.status_code == 200
    assert "The signature drawing is malformed" in response.content.decode()
    assert not Signature.objects.exists()
