"""The staff page of a person's data reads as a page, not a dump: labelled in French, local times,
statuses translated, no dotted keys nor ISO timestamps."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from academy.core.models import OutboundEmail
from academy.privacy.views import person_token
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.privacy import staff_admin

pytestmark = pytest.mark.django_db


def test_the_person_page_is_labelled_in_french_with_local_times(client):
    course_session = open_session()
    enrol_people(course_session, trainee(1))
    OutboundEmail.objects.filter(to=["trainee1@exemple.fr"]).update(
        status="sent", sent_at=datetime.datetime(2026, 7, 1, 8, 5, tzinfo=datetime.UTC)
    )
    client.force_login(staff_admin())
    page = client.get(reverse("privacy:person", kwargs={"token": person_token("trainee1@exemple.fr")}))
    assert page.status_code == 200
    html = page.content.decode()
    main = html.split('<main id="main"', 1)[1].split("<details>", 1)[0]  # the raw export stays available below
    assert not re.search(r"\w+\[\d+\]\.\w+", main)  # no "emails[1].created_at"
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", main)  # no ISO timestamps
    assert "E-mails envoyés à la personne" in main
    assert "Envoyé le" in main and "1 juillet 2026 10:05" in main  # 08:05 UTC is 10:05 in Paris
    assert ">Envoyé<" in main  # the status "sent", translated
    assert "Prénom" in main and "Zoë" in main
    assert "enrolment.confirmed" not in main and "Inscription confirmée" in main  # events in words
