"""The page cache of public catalogue pages: every change a page shows reaches the next anonymous request.

Each change runs inside ``django_capture_on_commit_callbacks(execute=True)``: pages are
invalidated when the transaction commits, as in production.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from academy.catalog.models import Course, LearningObjective, ProgrammeItem
from academy.core.models import TrainingOrganisation
from academy.enrolment.services import cancel_enrolment
from academy.privacy.consent import COOKIE_NAME
from academy.scheduling.models import SessionSlot
from tests.factories.catalog import CourseFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import answer_end_survey
from tests.factories.scheduling import session_with_days

pytestmark = pytest.mark.django_db

SEED_URL = "/courses/COMNUM/"
DAY = datetime.date(2027, 3, 30)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def _html(client, url) -> str:
    return _get(client, url).content.decode()


def _warm(client, *urls):
    """Request each page twice: the second answer comes from the cache."""
    for url in urls:
        _get(client, url)
        assert _get(client, url)["X-Page-Cache"] == "hit", url


def _seats(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"(\d+) places? restantes?", html)]


def test_an_anonymous_visitor_gets_the_second_request_from_the_cache_without_any_query(
    client, seed_course, django_assert_num_queries
):
    first = _get(client, SEED_URL)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _get(client, SEED_URL)
    assert second["X-Page-Cache"] == "hit"
    assert "Communs" in second.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=communs",
        SEED_URL,
        SEED_URL + "programme.pdf",
        "/en" + SEED_URL,
        "/sitemap.xml",
        "/sitemap-courses.xml",
    ],
)
def test_every_cached_page_is_served_from_the_cache(client, seed_course, url):
    _warm(client, url)


def test_a_course_edit_shows_on_the_course_page_listing_search_and_pdf(
    client, seed_course, django_capture_on_commit_callbacks
):
    pdf_url = SEED_URL + "programme.pdf"
    _warm(client, SEED_URL, "/", "/?q=communs", pdf_url)
    with django_capture_on_commit_callbacks(execute=True):
        seed_course.title = "Communs numériques, édition révisée"
        seed_course.save()
    assert "édition révisée" in _html(client, SEED_URL)
    assert "édition révisée" in _html(client, "/")
    assert "édition révisée" in _html(client, "/?q=communs")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_get(client, pdf_url).content)).pages)
    assert "édition révisée" in text


def test_an_objective_and_a_programme_item_edit_show_at_once(client, seed_course, django_capture_on_commit_callbacks):
    _warm(client, SEED_URL)
    with django_capture_on_commit_callbacks(execute=True):
        LearningObjective.objects.create(course=seed_course, position=99, text="Objectif ajouté à l’instant")
    assert "Objectif ajouté à l’instant" in _html(client, SEED_URL)
    _warm(client, SEED_URL)
    item = ProgrammeItem.objects.filter(section__course=seed_course).first()
    with django_capture_on_commit_callbacks(execute=True):
        item.text = "Sujet réécrit"
        item.save()
    assert "Sujet réécrit" in _html(client, SEED_URL)


def test_another_course_of_the_domain_shows_in_the_other_courses_block(
    client, seed_course, django_capture_on_commit_callbacks
):
    _warm(client, SEED_URL, "/", "/sitemap-courses.xml")
    with django_capture_on_commit_callbacks(execute=True):
        CourseFactory(code="NEW1", title="Tout nouveau cours", domain=seed_course.domain)
    assert "Tout nouveau cours" in _html(client, SEED_URL)
    assert "Tout nouveau cours" in _html(client, "/")
    assert "/courses/NEW1/" in _html(client, "/sitemap-courses.xml")


def test_an_unpublished_course_leaves_the_cached_pages(client, seed_course, django_capture_on_commit_callbacks):
    _warm(client, SEED_URL, "/")
    with django_capture_on_commit_callbacks(execute=True):
        seed_course.status = Course.Status.DRAFT
        seed_course.save()
    assert client.get(SEED_URL).status_code == 404
    assert "COMNUM" not in _html(client, "/")


def test_a_domain_rename_shows(client, seed_course, django_capture_on_commit_callbacks):
    _warm(client, SEED_URL, "/")
    with django_capture_on_commit_callbacks(execute=True):
        seed_course.domain.name = "Domaine renommé"
        seed_course.domain.save()
    assert "Domaine renommé" in _html(client, SEED_URL)
    assert "Domaine renommé" in _html(client, "/")


def test_an_organisation_edit_shows_on_every_page(client, seed_course, django_capture_on_commit_callbacks):
    _warm(client, SEED_URL, "/")
    organisation = TrainingOrganisation.current()
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "Organisme renommé"
        organisation.save()
    assert "Organisme renommé" in _html(client, SEED_URL)
    assert "Organisme renommé" in _html(client, "/")


def test_a_new_session_and_a_slot_change_show(client, seed_course, django_capture_on_commit_callbacks):
    _warm(client, SEED_URL, "/")
    with django_capture_on_commit_callbacks(execute=True):
        course_session = session_with_days(DAY, course=seed_course, capacity_seats=12)
    assert "mardi 30 mars 2027" in _html(client, SEED_URL)
    assert "30 mars 2027" in _html(client, "/")
    _warm(client, SEED_URL)
    slot = SessionSlot.objects.filter(course_session=course_session).order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        slot.starts_at = slot.starts_at - datetime.timedelta(minutes=30)
        slot.save()
    assert "08:30" in _html(client, SEED_URL)


def test_seats_left_follow_each_enrolment_and_cancellation(client, seed_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_session = session_with_days(DAY, course=seed_course, capacity_seats=12)
    assert _seats(_html(client, SEED_URL)) == [12]
    _warm(client, SEED_URL)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = EnrolmentFactory(booking__course_session=course_session)
    assert _seats(_html(client, SEED_URL)) == [11]
    _warm(client, SEED_URL)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_enrolment(enrolment=enrolment)
    assert _seats(_html(client, SEED_URL)) == [12]


def test_a_rolled_back_enrolment_leaves_the_cached_page(client, seed_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_session = session_with_days(DAY, course=seed_course, capacity_seats=12)
    _warm(client, SEED_URL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        EnrolmentFactory(booking__course_session=course_session)
    assert callbacks, "the invalidation waits for the commit"
    assert _get(client, SEED_URL)["X-Page-Cache"] == "hit"


def test_a_new_satisfaction_answer_shows_its_figure(client, seed_course, settings, django_capture_on_commit_callbacks):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 1
    course_session = session_with_days(datetime.date.today() - datetime.timedelta(days=3), course=seed_course)
    before = _html(client, SEED_URL)
    _warm(client, SEED_URL)
    with django_capture_on_commit_callbacks(execute=True):
        answer_end_survey(course_session, overall=5, recommend=True)
    after = _html(client, SEED_URL)
    assert after != before
    assert "block-figures" in after and "block-figures" not in before


def test_a_new_translation_catalogue_gives_new_pages(client, seed_course, settings):
    _warm(client, SEED_URL)
    settings.ACADEMY_PAGE_CACHE_RELEASE = "another-release"
    assert _get(client, SEED_URL)["X-Page-Cache"] == "miss"


def test_each_visitor_gets_their_own_csrf_token_and_no_one_else_s(seed_course):
    first, second = Client(), Client()
    page_one = _html(first, SEED_URL)
    page_two = _get(second, SEED_URL)
    assert page_two["X-Page-Cache"] == "hit"
    token_one = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_one)
    token_two = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_two.content.decode())
    assert token_one and token_two
    assert set(token_one).isdisjoint(token_two)
    assert "placeholder" not in page_two.content.decode()
    # The token works: the language switch form of the cached page posts.
    second.cookies.update(page_two.cookies)
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token_two[0]})
    assert switched.status_code == 302


def test_consent_state_does_not_vary_the_page_and_never_leaks(seed_course):
    answered = Client()
    answered.post("/privacy/consent/", {"choice": "refuse_all", "next": "/"})
    chooser = Client()  # only the consent cookie: no session, no pending message
    chooser.cookies[COOKIE_NAME] = answered.cookies[COOKIE_NAME].value
    newcomer = _get(Client(), SEED_URL)
    with_choice = _get(chooser, SEED_URL)
    assert with_choice["X-Page-Cache"] == "hit"
    assert 'id="consent-banner"' in newcomer.content.decode()
    assert 'id="consent-banner"' not in with_choice.content.decode()
    # The other way round: a newcomer still sees the banner on a page cached for the visitor who chose.
    assert 'id="consent-banner"' in _html(Client(), SEED_URL)
    assert _get(Client(), "/")["X-Page-Cache"] == "miss"
    assert 'id="consent-banner"' not in _html(chooser, "/")
    assert 'id="consent-banner"' in _html(Client(), "/")


def test_a_signed_in_person_and_a_pending_message_bypass_the_cache(client, seed_course, django_user_model):
    _warm(client, SEED_URL)
    user = django_user_model.objects.create_user("visitor", "visitor@exemple.fr", "pw-Secret-123")
    signed_in = Client()
    signed_in.force_login(user)
    response = _get(signed_in, SEED_URL)
    assert response["X-Page-Cache"] == "bypass"
    assert "Mon espace" in response.content.decode()
    assert "Mon espace" not in _html(client, SEED_URL)


def test_the_page_cache_knows_the_consent_cookie_name():
    from academy.core.pagecache import CONSENT_COOKIE_NAME

    assert CONSENT_COOKIE_NAME == COOKIE_NAME


def test_a_visitor_s_message_is_shown_to_them_and_never_cached_for_others(client, seed_course):
    _warm(client, SEED_URL)
    values = {"first_name": "A", "last_name": "B", "email": "a@b.fr", "organisation_name": "Org", "message": "Adapter"}
    response = client.post("/courses/COMNUM/customisation/", values, follow=True)
    assert response.redirect_chain[-1][0] == SEED_URL
    assert response["X-Page-Cache"] == "bypass"
    assert "Merci, votre demande a bien été reçue" in response.content.decode()
    newcomer = _get(Client(), SEED_URL)
    assert newcomer["X-Page-Cache"] == "hit"
    assert "Merci, votre demande" not in newcomer.content.decode()
