"""Bodies and objects shared by the API tests."""

from __future__ import annotations

import uuid


def booking_body(course_session, *trainees, **overrides) -> dict:
    """A booking body for ``POST /api/v1/bookings/``; each trainee is (first name, last name, e-mail)."""
    body = {
        "course_session": course_session.pk,
        "contact_first_name": "Camille",
        "contact_last_name": "Contact",
        "contact_email": "camille@exemple.fr",
        "organisation_name": "Société Générale d'Électricité",
        "funding": "employer",
        "accept_terms": True,
        "submission_key": str(uuid.uuid4()),
        "trainees": [{"first_name": f, "last_name": la, "email": e} for f, la, e in trainees],
    }
    body.update(overrides)
    return body


ZOE = ("Zoë", "Ñúñez-Łukasiewicz", "zoe.nunez@exemple.fr")
ANH = ("Ánh", "Nguyễn Thị", "anh.nguyen@exemple.fr")
