"""Hostile input posted to public forms: each kind refused where it is born, with a message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from academy.catalog.models import MAX_GROUP_SIZE, Lead
from academy.core.models import OutboundEmail
from academy.core.validators import validate_deliverable_email, validate_multi_line_text, validate_single_line
from academy.enrolment.forms import EnrolmentForm, TraineeForm

pytestmark = pytest.mark.django_db

LEAD = {"first_name": "Zoë", "last_name": "Núñez", "email": "zoe@exemple.fr", "message": "Bonjour"}


@pytest.fixture
def csrf_client():
    """A client that sends its CSRF token like a browser, so the check runs as in production."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("catalog:contact"))
    return client


def _post(client, body: bytes, content_type: str):
    token = client.cookies["csrftoken"].value
    # generic() sends the bytes as they are; post() would re-encode them in the declared charset.
    return client.generic(
        "POST", reverse("catalog:contact"), body + b"&csrfmiddlewaretoken=" + token.encode(), content_type=content_type
    )


@pytest.mark.parametrize("charset", ["ibm500", "nosuch-charset", "utf-16", "latin-1"])
def test_non_utf8_charset_answers_400(csrf_client, charset):
    response = _post(
        csrf_client,
        b"first_name=Zo%C3%AB&last_name=N&email=zoe%40exemple.fr&message=Bonjour",
        "application/x-www-form-urlencoded; charset=%s" % charset,
    )

    assert response.status_code == 400
    assert "ce site ne lit que l&#x27;UTF-8" in response.content.decode()
    assert "« %s »" % charset in response.content.decode()
    assert not Lead.objects.exists()


def test_non_utf8_charset_of_a_multipart_form_answers_400(client):
    body = b'--xx\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nZ\r\n--xx--\r\n'
    response = client.generic(
        "POST", reverse("catalog:contact"), body, content_type="multipart/form-data; boundary=xx; charset=nosuch"
    )

    assert response.status_code == 400
    assert "ce site ne lit que l&#x27;UTF-8" in response.content.decode()


def test_invalid_utf8_bytes_in_a_form_answer_400(csrf_client):
    response = _post(
        csrf_client,
        b"first_name=Zo%E9&last_name=N&email=zoe%40exemple.fr&message=Bonjour",
        "application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "caractères qui ne sont pas de l&#x27;UTF-8 valide" in response.content.decode()
    assert not Lead.objects.exists()


def test_a_form_declared_utf8_is_accepted(csrf_client):
    response = _post(
        csrf_client,
        b"first_name=Zo%C3%AB&last_name=N&email=zoe%40exemple.fr&message=Bonjour",
        "application/x-www-form-urlencoded; charset=UTF-8",
    )

    assert response.status_code == 302
    assert Lead.objects.get().first_name == "Zoë"


def test_the_400_page_carries_the_security_headers(client):
    response = client.generic(
        "POST", reverse("catalog:contact"), b"a=b", content_type="application/x-www-form-urlencoded; charset=x"
    )

    assert response.status_code == 400
    assert "camera=()" in response["Permissions-Policy"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("value", ["Zoë\r\nOrganisation : Fausse", "Zoë\nNúñez", "Zoë\x00", "a\u2028b", "a\u202eb"])
def test_control_characters_in_single_line_fields_are_refused(value):
    with pytest.raises(ValidationError, match="une seule ligne"):
        validate_single_line(value)


def test_line_breaks_in_a_lead_name_are_refused_with_a_message_and_nothing_is_sent(client):
    response = client.post(
        reverse("catalog:contact"), {**LEAD, "organisation_name": "ACME\r\nTéléphone : 06 00 00 00 00"}
    )

    assert response.status_code == 400
    assert "Saisissez ceci sur une seule ligne" in response.content.decode()
    assert not Lead.objects.exists() and not OutboundEmail.objects.exists()


def test_line_breaks_stay_allowed_in_a_message(client):
    response = client.post(reverse("catalog:contact"), {**LEAD, "message": "Bonjour,\r\nune question."})

    assert response.status_code == 302
    assert Lead.objects.get().message == "Bonjour,\r\nune question."


@pytest.mark.parametrize(
    "field, value",
    [
        ("contact_first_name", "Camille\r\nBcc: x@exemple.fr"),
        ("contact_last_name", "Contact\tX"),
        ("contact_phone", "06 00\n00 00 00"),
        ("organisation_name", "ACME\x0bSA"),
    ],
)
def test_enrolment_form_refuses_control_characters_in_single_line_fields(field, value):
    data = {
        "for_whom": "self",
        "contact_first_name": "Camille",
        "contact_last_name": "Contact",
        "contact_email": "camille@exemple.fr",
        "funding": "personal",
        "overflow_policy": "waitlist_rest",
        "accept_terms": "on",
        field: value,
    }
    form = EnrolmentForm(data)

    assert not form.is_valid()
    assert "Saisissez ceci sur une seule ligne" in form.errors[field][0]


@pytest.mark.parametrize(
    "address",
    [
        "a@" + "é" * 60 + ".fr",  # 60 letters, but more than 63 octets once encoded for sending
        "a@" + ("x" * 60 + ".") * 5 + "fr",  # more than 253 octets in all
        "a" * 65 + "@exemple.fr",
        "a@exa\u00admple.fr",  # invisible soft hyphen
        '"\x01"@exemple.fr',
    ],
)
def test_undeliverable_email_addresses_are_refused(address):
    with pytest.raises(ValidationError):
        validate_deliverable_email(address)


def test_an_email_domain_that_cannot_be_encoded_is_refused_at_the_form_with_a_message():
    form = TraineeForm({"first_name": "Zoë", "last_name": "Núñez", "email": "zoe@" + "é" * 60 + ".fr"})

    assert not form.is_valid()
    assert "ne peut pas exister" in form.errors["email"][0]


@pytest.mark.parametrize("address", ["zoe@exemple.fr", "anh@bücher.example", "x@" + "a" * 63 + ".fr"])
def test_deliverable_email_addresses_are_accepted(address):
    validate_deliverable_email(address)


def test_a_lead_form_refuses_an_undeliverable_email_with_a_message(client):
    response = client.post(reverse("catalog:contact"), {**LEAD, "email": "zoe@" + "é" * 60 + ".fr"})

    assert response.status_code == 400
    assert "ne peut pas exister" in response.content.decode()
    assert not Lead.objects.exists()


@pytest.mark.parametrize("count", [str(MAX_GROUP_SIZE + 1), "3000000000", "9223372036854775807", "1" * 30])
def test_a_group_size_out_of_range_is_refused_on_every_database(client, seed_course, count):
    values = {**LEAD, "organisation_name": "ACME", "trainee_count": count}

    response = client.post(reverse("catalog:quote_request", args=["COMNUM"]), values)

    assert response.status_code == 400
    assert "inférieure ou égale à %d." % MAX_GROUP_SIZE in response.content.decode()
    assert not Lead.objects.exists()


def _wsgi_post(path: str, query: str, body: bytes, content_type: str) -> tuple[str, bytes]:
    """Post through the WSGI entry point, as gunicorn and Django's server call it."""
    import io
    from wsgiref.util import setup_testing_defaults

    from academy.wsgi import application

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "testserver",
        "HTTP_HOST": "testserver",
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status

    # As Django's test client does: keep the test's database connection open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        content = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], content


@pytest.mark.parametrize("charset", ["rot13", "punycode", "zlib", "hex"])
def test_a_charset_that_is_no_text_encoding_answers_400_at_the_wsgi_entry(charset):
    # Django decodes the query string with the declared charset while it builds the request.
    status, content = _wsgi_post(
        "/contact/", "course=COMNUM", b"first_name=Z", "application/x-www-form-urlencoded; charset=%s" % charset
    )

    assert status.startswith("400")
    assert "ce site ne lit que l&#x27;UTF-8" in content.decode()
    assert not Lead.objects.exists()


def test_a_multipart_boundary_survives_the_charset_being_set_aside():
    from academy.core.middleware import DECLARED_CHARSET_KEY, set_aside_declared_charset

    environ = set_aside_declared_charset({"CONTENT_TYPE": 'multipart/form-data; boundary="a b"; charset=ibm500'})

    assert environ["CONTENT_TYPE"] == 'multipart/form-data; boundary="a b"'
    assert environ[DECLARED_CHARSET_KEY] == "ibm500"


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("post", "/contact/", {**LEAD, "first_name": "Zo\x00ë"}),
        ("get", "/contact/?course=COM%00NUM", None),
        ("get", "/courses/COM%00NUM/", None),
    ],
)
def test_a_nul_character_anywhere_in_the_request_answers_400_with_a_message(client, method, path, data):
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)

    assert response.status_code == 400
    assert "La demande contient un caractère NUL" in response.content.decode()
    assert not Lead.objects.exists()


def test_a_nul_character_posted_to_a_signing_link_answers_400_and_writes_nothing(client):
    from academy.attendance import services
    from academy.attendance.models import Signature
    from academy.core.models import AuditLogEntry
    from tests.attendance.helpers import session_happening_now, trainee

    course_session, _trainer, slot = session_happening_now()
    enrolment = trainee(course_session)
    url = reverse(
        "attendance:sign_link", args=[slot.pk, services.make_signing_link_token(slot=slot, enrolment=enrolment)]
    )
    audit_before = AuditLogEntry.objects.count()

    response = client.post(url, {"enrolment": "1\x00", "strokes": "x"})

    assert response.status_code == 400
    assert not Signature.objects.exists()
    assert AuditLogEntry.objects.count() == audit_before


@pytest.mark.parametrize("bidi", ["\u202e", "\u202d", "\u2066", "\u2069"])
def test_a_bidirectional_override_is_refused_in_multi_line_text_so_staff_read_what_was_typed(bidi):
    with pytest.raises(ValidationError) as error:
        validate_multi_line_text("Besoin : %slive" % bidi)
    assert error.value.code == "control_character"


def test_multi_line_text_keeps_line_breaks_and_zero_width_joiners():
    validate_multi_line_text("Ligne 1\nLigne 2\tfin — 👩\u200d💻 किष्\u200dट")
