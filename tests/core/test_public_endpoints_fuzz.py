"""Random and hostile bodies posted to every public form and link: no server error, nothing half-saved.

Hypothesis builds bodies from the fields each endpoint expects plus stray ones: control
characters and line breaks, deeply nested JSON, huge numbers, undeliverable e-mail addresses,
missing fields, invalid UTF-8 and foreign charsets, URL-encoded or multipart. Every answer must
be below 500, and a refused post (4xx) must leave the rows of every model a public post can
write unchanged. Bounded: a modest number of examples per endpoint and no deadline.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.attendance import services as attendance_services
from academy.attendance.models import Signature
from academy.catalog.models import Lead
from academy.commerce import agreements, quotes
from academy.commerce.models import Agreement, Quote
from academy.compliance.models import Complaint
from academy.core.middleware import set_aside_declared_charset
from academy.enrolment.links import cancel_token, offer_token
from academy.enrolment.models import Booking, Enrolment
from academy.enrolment.services import cancel_enrolment
from academy.evaluation.models import Answer, Response
from academy.evaluation.sending import make_answer_token
from academy.evaluation.services import current_questionnaire
from academy.evaluation.stakeholders import make_stakeholder_token
from academy.privacy.models import ConsentRecord
from academy.scheduling.models import CourseSession
from tests.attendance.helpers import session_happening_now
from tests.attendance.helpers import trainee as attendance_trainee
from tests.commerce.factories import published_terms
from tests.commerce.test_quotes import ready_quote
from tests.enrolment.helpers import enrol_people, open_session, trainee
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import session_with_slot

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = 30

ENROLMENT_FIELDS = [
    "for_whom",
    "contact_first_name",
    "contact_last_name",
    "contact_email",
    "contact_phone",
    "organisation_name",
    "organisation_siret",
    "funding",
    "funder_name",
    "overflow_policy",
    "accept_terms",
    "submission_key",
    "website",
    "trainees-TOTAL_FORMS",
    "trainees-INITIAL_FORMS",
    "trainees-0-first_name",
    "trainees-0-last_name",
    "trainees-0-email",
    "trainees-0-job_title",
    "trainees-0-accessibility_needs",
    "trainees-0-trainee_category",
    "trainees-0-work_context",
    "trainees-0-expectations",
    "add_trainee",
]
LEAD_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation_name",
    "trainee_count",
    "wished_period",
    "place",
    "message",
    "website",
]


COMPLAINT_FIELDS = [
    "source",
    "name",
    "email",
    "organisation_name",
    "course_reference",
    "subject",
    "description",
    "website",
]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "Zoë\r\nBcc: x@exemple.fr",
            "ACME\nTéléphone : 06",
            "\x00",
            "a\u2028b",
            "\u202eevil",
            "",
            " ",
            "x" * 5000,
            "2147483648",
            "9223372036854775808",
            "-1",
            "1e400",
            "NaN",
            "zoe@" + "é" * 60 + ".fr",
            '"\x01"@exemple.fr',
            "a@exa\u00admple.fr",
            "zoe@exemple.fr",
            "on",
            "self",
            "others",
            "personal",
            "opco",
            "waitlist_rest",
            "refuse",
            "yes",
            "5",
            "accept",
            "decline",
            "1000000",
            _nested(20_000),
            json.dumps({"width": 10, "height": 10, "strokes": json.loads(_nested(50))}),
            json.dumps({"width": 1e308, "height": -1, "strokes": [[[1, 2]] * 5]}),
            json.dumps({"width": 300, "height": 120, "strokes": [[[10, 10], [20, 20], [30, 30], [40, 40], [50, 50]]]}),
        ]
    ),
)


def fields_strategy(names: list[str]):
    """A dict of some of ``names`` (fields may be missing) plus stray keys, with hostile values."""
    known = st.dictionaries(st.sampled_from(names), hostile_text, max_size=len(names)) if names else st.just({})
    stray = st.dictionaries(st.text(min_size=1, max_size=12), hostile_text, max_size=3)
    return st.builds(lambda a, b: {**b, **a}, known, stray)


encodings = st.sampled_from(["multipart", "multipart-charset", "urlencoded", "urlencoded-charset", "raw-bytes"])
# Declared charsets seen in attacks: EBCDIC, wide encodings, and Python codecs that are no text
# encodings at all (rot13, hex, zlib…), which Django would otherwise try to decode with.
charsets = st.sampled_from(
    ["utf-8", "UTF-8", "ibm500", "cp037", "latin-1", "utf-16", "utf-32", "utf-7", "nosuch", ""]
    + ["rot13", "hex", "base64", "idna", "punycode", "uu", "zlib", "bz2", "quopri", "unicode_escape"]
)


def tracked_counts() -> dict[str, int]:
    """Rows of every model a public post can write."""
    models = [
        Lead,
        Booking,
        Enrolment,
        Response,
        Answer,
        Signature,
        ConsentRecord,
        Quote,
        Agreement,
        CourseSession,
        Complaint,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def world(seed_course):
    """One object behind each public endpoint; returns ``{name: (path, field names)}``."""
    session = open_session(course=seed_course, capacity_seats=1)
    enrol_people(session, trainee("first"))
    enrol_people(session, trainee("second"))
    cancel_enrolment(enrolment=session.enrolments.get(email="traineefirst@exemple.fr"), by=None)
    offered = session.enrolments.get(email="traineesecond@exemple.fr")
    confirmed = enrol_people(open_session(course=seed_course), trainee("third")).enrolments.get()

    ended = session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(hours=5))
    answering = EnrolmentFactory(booking__course_session=ended)
    questionnaire = current_questionnaire(course=seed_course, kind="end_of_course")
    answer_fields = ["q%d" % pk for pk in questionnaire.questions.values_list("pk", flat=True)]

    signing_session, _trainer, slot = session_happening_now(course=seed_course)
    signer = attendance_trainee(signing_session)
    sign_token = attendance_services.make_signing_link_token(slot=slot, enrolment=signer)

    published_terms(version=1)
    quote = quotes.issue(ready_quote())
    agreement = agreements.issue(
        agreements.draft_from_booking(enrol_people(open_session(course=seed_course), trainee("fourth")))
    )

    feedback_session = session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(hours=5))
    feedback_booking = EnrolmentFactory(
        booking__course_session=feedback_session, booking__client_organisation=ClientOrganisationFactory()
    ).booking
    feedback_token = make_stakeholder_token(
        course_session=feedback_session,
        kind="client_feedback",
        respondent="organisation:%d" % feedback_booking.client_organisation_id,
    )
    feedback_fields = [
        "q%d" % pk
        for pk in current_questionnaire(course=seed_course, kind="client_feedback").questions.values_list(
            "pk", flat=True
        )
    ]

    code = seed_course.code
    return {
        "complaint": (reverse("compliance:complaint_form"), COMPLAINT_FIELDS),
        "feedback": (reverse("evaluation:stakeholder_answer", kwargs={"token": feedback_token}), feedback_fields),
        "quote": (reverse("catalog:quote_request", args=[code]), LEAD_FIELDS),
        "customisation": (reverse("catalog:customisation_request", args=[code]), LEAD_FIELDS),
        "interest": (reverse("catalog:interest_signal", args=[code]), LEAD_FIELDS),
        "contact": (reverse("catalog:contact") + "?course=%s&topic=accessibility" % code, LEAD_FIELDS),
        "enrol": (reverse("enrolment:enrol", args=[confirmed.course_session.pk]), ENROLMENT_FIELDS),
        "offer": (reverse("enrolment:offer", kwargs={"token": offer_token(offered)}), ["decline"]),
        "cancel": (reverse("enrolment:cancel", kwargs={"token": cancel_token(confirmed)}), []),
        "answer": (
            reverse(
                "evaluation:answer", kwargs={"token": make_answer_token(enrolment=answering, kind="end_of_course")}
            ),
            answer_fields,
        ),
        "sign": (reverse("attendance:sign_link", args=[slot.pk, sign_token]), ["enrolment", "strokes"]),
        "scan_sign": (reverse("attendance:scan_sign", args=[slot.pk]), ["enrolment", "strokes"]),
        "consent": (reverse("privacy:consent"), ["choice", "purpose", "next"]),
        "login": (reverse("accounts:login"), ["username", "password", "otp_token", "otp_device", "next"]),
        "set_language": (reverse("set_language"), ["language", "next"]),
        "quote_answer": (
            reverse("commerce:quote_answer", kwargs={"token": quotes.answer_token(quote)}),
            ["answer", "signer_name"],
        ),
        "agreement_sign": (
            reverse("commerce:agreement_sign", kwargs={"token": agreements.signing_token(agreement)}),
            ["signer_name"],
        ),
    }


def post(client: Client, path: str, data: dict, encoding: str, charset: str):
    if encoding == "multipart":
        return client.post(path, data)
    if encoding == "multipart-charset":
        body = encode_multipart(BOUNDARY, data)
        content_type = "multipart/form-data; boundary=%s" % BOUNDARY + ("; charset=%s" % charset if charset else "")
        return client.generic("POST", path, body, content_type=content_type)
    body = urllib.parse.urlencode(data, encoding="utf-8", errors="surrogatepass").encode("ascii")
    if encoding == "urlencoded":
        return client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
    if encoding == "raw-bytes":
        body = b"&".join(
            k.encode("utf-8", "surrogatepass") + b"=" + v.encode("latin-1", "replace") + b"\xff"
            for k, v in data.items()
        )
    content_type = "application/x-www-form-urlencoded" + ("; charset=%s" % charset if charset else "")
    return client.generic("POST", path, body, content_type=content_type)


ENDPOINTS = [
    "complaint",
    "feedback",
    "quote",
    "customisation",
    "interest",
    "contact",
    "enrol",
    "offer",
    "cancel",
    "answer",
    "sign",
    "scan_sign",
    "consent",
    "login",
    "set_language",
    "quote_answer",
    "agreement_sign",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hostile_posts_to_public_endpoints_never_answer_5xx_nor_half_save(world, endpoint):
    path, names = world[endpoint]
    client = Client()
    # Enter the product as the WSGI server does: academy.wsgi sets aside a declared charset first.
    inner = client.handler
    client.handler = lambda environ: inner(set_aside_declared_charset(environ))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=fields_strategy(names), encoding=encodings, charset=charsets)
    def check(data, encoding, charset):
        cache.clear()  # the per-address limits would otherwise answer 429 to every later example
        before = tracked_counts()
        response = post(client, path, data, encoding, charset)
        assert response.status_code < 500
        if response.status_code >= 400:
            assert tracked_counts() == before

    check()


@given(
    prefix=st.sampled_from(
        [
            "/enrolment/bookings/",
            "/enrolment/cancel/",
            "/enrolment/offers/",
            "/evaluation/answer/",
            "/evaluation/feedback/",
            "/certificates/download/",
            "/certificates/verify/",
            "/sessions/trainers/",
            "/sessions/private/",
            "/attendance/scan/1/",
            "/attendance/sign/1/",
            "/quotes/",
            "/agreements/",
        ]
    ),
    token=st.text(min_size=1, max_size=300),
    method=st.sampled_from(["GET", "POST"]),
)
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
def test_forged_link_tokens_answer_without_server_error(prefix, token, method):
    cache.clear()
    path = prefix + urllib.parse.quote(token, safe="", errors="surrogatepass") + "/"
    if prefix.startswith("/sessions/"):
        path += "calendar.ics"
    before = tracked_counts()

    client = Client()
    inner = client.handler
    client.handler = lambda environ: inner(set_aside_declared_charset(environ))
    response = client.generic(method, path)

    assert response.status_code < 500
    assert tracked_counts() == before


@given(
    path=st.sampled_from(
        ["/", "/courses/COMNUM/", "/enrolment/courses/COMNUM/sessions/", "/sitemap.xml", "/sitemap-courses.xml"]
    ),
    params=st.dictionaries(st.sampled_from(["q", "page", "p", "domain", "level"]), hostile_text, max_size=3),
)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_hostile_queries_to_cached_public_pages_answer_without_server_error(seed_course, path, params):
    """The cached public pages (listing and search, course page, sessions page, sitemap)."""
    query = urllib.parse.urlencode(params, errors="surrogatepass")
    response = Client().get(path + ("?" + query if query else ""))
    assert response.status_code < 500
