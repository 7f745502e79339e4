"""Cookie consent (CNIL deliberations 2020-091 and 2020-092; field case FC-10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.privacy.consent import (
    BANNER_VERSION,
    COOKIE_NAME,
    ConsentState,
    format_consent,
    new_consent_id,
    parse_consent,
)
from academy.privacy.models import ConsentRecord
from academy.privacy.services import PrivacyError, record_consent

pytestmark = pytest.mark.django_db

ALL_REFUSED = {"audience": False, "relationship": False, "advertising": False}


def cookie_for(choices, *, given_at=None, version=BANNER_VERSION):
    state = ConsentState(True, new_consent_id(), given_at or timezone.now(), choices)
    return format_consent(state).replace(BANNER_VERSION, version, 1)


def test_a_fresh_visitor_sees_the_banner_with_three_equal_choices(client, seed_course):
    response = client.get(reverse("catalog:course_list"))
    html = response.content.decode()
    assert 'id="consent-banner"' in html
    from academy.core.models import TrainingOrganisation

    assert "%s respecte votre vie privée" % TrainingOrganisation.current().name in html
    for label in ("Tout accepter", "Tout refuser", "Choisir"):
        assert label in html
    # Same prominence: the three first-layer actions share one style.
    assert html.count('class="consent-button"') >= 3


def test_nothing_but_the_csrf_cookie_is_set_before_a_choice(client, seed_course):
    response = client.get(reverse("catalog:course_list"))
    assert set(response.cookies) <= {"csrftoken"}
    assert COOKIE_NAME not in response.cookies


def test_refusing_all_stores_the_refusal_in_the_cookie_and_as_proof(client, seed_course):
    response = client.post(reverse("privacy:consent"), {"choice": "refuse_all", "next": "/"})
    assert response.status_code == 302
    state = parse_consent(response.cookies[COOKIE_NAME].value)
    assert state.chosen and state.refused_all
    record = ConsentRecord.objects.get()
    assert record.action == "refuse_all"
    assert record.choices == ALL_REFUSED
    assert record.consent_id == state.consent_id
    assert record.banner_version == BANNER_VERSION


def test_the_banner_stays_away_once_refused(client, seed_course):
    client.post(reverse("privacy:consent"), {"choice": "refuse_all"})
    html = client.get(reverse("catalog:course_list")).content.decode()
    assert 'id="consent-banner"' not in html


def test_the_consent_cookie_lives_six_months(client, seed_course):
    response = client.post(reverse("privacy:consent"), {"choice": "accept_all"})
    assert int(response.cookies[COOKIE_NAME]["max-age"]) == 182 * 24 * 3600
    assert response.cookies[COOKIE_NAME]["samesite"] == "Lax"


def test_the_banner_asks_again_after_six_months(client, seed_course):
    client.cookies[COOKIE_NAME] = cookie_for(ALL_REFUSED, given_at=timezone.now() - timedelta(days=183))
    html = client.get(reverse("catalog:course_list")).content.decode()
    assert 'id="consent-banner"' in html


def test_a_choice_made_on_an_older_banner_version_is_asked_again():
    value = cookie_for(ALL_REFUSED, version="2019-1")
    assert parse_consent(value).chosen is False


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "%s.abc.0123.audience:1" % BANNER_VERSION,
        "%s.1795000000.%s.audience:2|relationship:0|advertising:0" % (BANNER_VERSION, "a" * 32),
        "%s.1795000000.%s.audience:1|relationship:0" % (BANNER_VERSION, "a" * 32),
        "%s.1795000000.%s.audience:1|audience:0|relationship:0|advertising:0" % (BANNER_VERSION, "a" * 32),
        "%s.99999999999.%s.audience:1|relationship:0|advertising:0" % (BANNER_VERSION, "a" * 32),
        "x" * 5000,
        "<script>alert(1)</script>",
    ],
)
def test_a_malformed_consent_cookie_counts_as_no_choice_yet(value):
    assert parse_consent(value).chosen is False


def test_a_malformed_consent_cookie_shows_the_banner_and_never_crashes(client, seed_course):
    client.cookies[COOKIE_NAME] = "2026-1.%%%%.not-hex.audience:yes"
    response = client.get(reverse("catalog:course_list"))
    assert response.status_code == 200
    assert 'id="consent-banner"' in response.content.decode()


def test_refused_is_distinct_from_not_yet_chosen(client, seed_course):
    page = client.get(reverse("privacy:cookies")).content.decode()
    assert 'data-consent-status="none"' in page
    client.post(reverse("privacy:consent"), {"choice": "refuse_all"})
    page = client.get(reverse("privacy:cookies")).content.decode()
    assert 'data-consent-status="refused"' in page


def test_choosing_per_purpose_allows_only_the_ticked_purposes(client, seed_course):
    response = client.post(reverse("privacy:consent"), {"choice": "custom", "purpose": ["audience"]})
    state = parse_consent(response.cookies[COOKIE_NAME].value)
    assert state.choices == {"audience": True, "relationship": False, "advertising": False}


def test_an_unknown_purpose_is_refused_with_a_message(client, seed_course):
    response = client.post(reverse("privacy:consent"), {"choice": "custom", "purpose": ["tracking"]}, follow=True)
    assert "Votre choix n’a pas pu être lu" in response.content.decode()
    assert ConsentRecord.objects.count() == 0


def test_an_unknown_action_is_refused_by_the_service():
    with pytest.raises(PrivacyError, match="Unknown consent action"):
        record_consent(action="maybe")


def test_the_pseudonymous_id_is_kept_across_choices(client, seed_course):
    first = parse_consent(client.post(reverse("privacy:consent"), {"choice": "accept_all"}).cookies[COOKIE_NAME].value)
    second = parse_consent(client.post(reverse("privacy:consent"), {"choice": "withdraw"}).cookies[COOKIE_NAME].value)
    assert first.consent_id == second.consent_id
    assert list(ConsentRecord.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "accept_all",
        "withdraw",
    ]


def test_the_proof_record_holds_no_ip_address(client, seed_course):
    client.post(reverse("privacy:consent"), {"choice": "accept_all"}, REMOTE_ADDR="203.0.113.9")
    record = ConsentRecord.objects.get()
    assert "203.0.113.9" not in str([getattr(record, f.attname) for f in ConsentRecord._meta.fields])


def test_withdrawing_deletes_the_cookies_the_purposes_had_set(client, seed_course, settings):
    settings.ACADEMY_CONSENT_TAGS = {
        "audience": {"scripts": ["privacy/tags/example_audience.js"], "cookies": ["academy_example_audience"]}
    }
    client.post(reverse("privacy:consent"), {"choice": "accept_all"})
    client.cookies["academy_example_audience"] = "1"
    response = client.post(reverse("privacy:consent"), {"choice": "withdraw"})
    deleted = response.cookies["academy_example_audience"]
    assert deleted.value == "" and int(deleted["max-age"]) == 0


def test_an_allowed_purpose_loads_its_tag_and_a_refused_one_does_not(client, seed_course, settings):
    settings.ACADEMY_CONSENT_TAGS = {"audience": {"scripts": ["privacy/tags/example_audience.js"], "cookies": []}}
    assert "example_audience.js" not in client.get("/").content.decode()
    client.post(reverse("privacy:consent"), {"choice": "refuse_all"})
    assert "example_audience.js" not in client.get("/").content.decode()
    client.post(reverse("privacy:consent"), {"choice": "custom", "purpose": ["audience"]})
    assert "example_audience.js" in client.get("/").content.decode()


def test_the_banner_script_gets_json_and_the_tags_to_load(client, seed_course, settings):
    settings.ACADEMY_CONSENT_TAGS = {"audience": {"scripts": ["privacy/tags/example_audience.js"], "cookies": []}}
    response = client.post(reverse("privacy:consent"), {"choice": "accept_all"}, HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["choices"]["audience"] is True
    assert body["scripts"] == ["/static/privacy/tags/example_audience.js"]


def test_the_next_url_cannot_send_the_visitor_elsewhere(client, seed_course):
    response = client.post(reverse("privacy:consent"), {"choice": "refuse_all", "next": "https://evil.example/"})
    assert response["Location"] == reverse("privacy:cookies")


def test_the_consent_form_needs_a_csrf_token(seed_course):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("privacy:consent"), {"choice": "accept_all"})
    assert response.status_code == 403


def test_every_page_has_the_footer_link_to_change_cookies(client, seed_course):
    html = client.get(reverse("catalog:course_list")).content.decode()
    assert 'href="%s"' % reverse("privacy:cookies") in html


def test_without_any_tag_configured_pages_carry_no_script(client, seed_course, settings):
    settings.ACADEMY_CONSENT_TAGS = {}
    assert "<script" not in client.get(reverse("catalog:course_list")).content.decode()


def test_with_a_tag_configured_the_consent_script_enhances_the_banner(client, seed_course, settings):
    settings.ACADEMY_CONSENT_TAGS = {"audience": {"scripts": ["privacy/tags/example_audience.js"], "cookies": []}}
    html = client.get(reverse("catalog:course_list")).content.decode()
    assert '<script src="/static/privacy/consent.js" defer></script>' in html
    assert "example_audience.js" not in html


def test_staff_pages_neither_ask_consent_nor_load_tags(client, seed_course, settings):
    from tests.factories.privacy import staff_planner

    settings.ACADEMY_CONSENT_TAGS = {"audience": {"scripts": ["privacy/tags/example_audience.js"], "cookies": []}}
    client.force_login(staff_planner())
    client.post(reverse("privacy:consent"), {"choice": "accept_all"})
    html = client.get(reverse("privacy:audience")).content.decode()
    assert "consent-banner" not in html and "<script" not in html


def test_a_task_page_outside_the_public_site_shows_no_banner(rf, settings):
    from django.urls import resolve

    from academy.privacy.consent import is_public_page

    settings.ACADEMY_CONSENT_PAGES = ["catalog"]
    request = rf.get(reverse("compliance:legal_notice"))
    request.resolver_match = resolve(request.path)
    assert not is_public_page(request)
    request = rf.get("/")
    request.resolver_match = resolve("/")
    assert is_public_page(request)
