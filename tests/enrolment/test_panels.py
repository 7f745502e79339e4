import datetime
import re

import pytest
from django.urls import reverse

from academy.catalog.extensions import annotate_listing
from academy.enrolment.panels import SESSIONS_SHOWN, sessions_panel_context
from academy.enrolment.views import SESSIONS_PAGE_SIZE
from tests.factories.catalog import CourseFactory
from tests.factories.core import ClientOrganisationFactory
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.scheduling import session_with_days

pytestmark = pytest.mark.django_db


def test_the_course_page_lists_open_sessions_with_dates_place_seats_price_and_enrol_button(client, seed_course):
    course_session = session_with_days(
        datetime.date(2027, 3, 30), course=seed_course, capacity_seats=12, price_excl_vat="1250.00"
    )
    EnrolmentFactory(booking__course_session=course_session)

    response = client.get(seed_course.get_absolute_url())

    content = response.content.decode()
    assert "Sessions & Inscriptions" in content
    assert "mardi 30 mars 2027" in content
    assert "09:00" in content and "14:00" in content
    assert "12, rue de la Paix; bâtiment B" in content
    assert "11 places restantes" in content
    # Money through the locale, and the price including VAT for whoever pays (20 % by default).
    assert re.search(r"1\s250,00\s€ HT \(1\s500,00\s€ TTC\) par stagiaire", content)
    assert reverse("enrolment:enrol", kwargs={"pk": course_session.pk}) in content
    assert "S’inscrire" in content


def test_a_remote_session_says_remote(client, seed_course):
    session_with_days(
        datetime.date(2027, 3, 30), course=seed_course, venue_address="", remote_url="https://visio.exemple/abc"
    )

    content = client.get(seed_course.get_absolute_url()).content.decode()

    assert "À distance" in content


def test_the_panel_is_hidden_when_no_session_is_open_so_the_catalogue_shows_its_empty_state(rf, seed_course):
    session_with_days(datetime.date(2027, 3, 30), course=seed_course, status="draft")
    session_with_days(datetime.date(2026, 3, 30), course=seed_course)  # past
    session_with_days(
        datetime.date(2027, 3, 30),
        course=seed_course,
        kind="in_company",
        client_organisation=ClientOrganisationFactory(),
    )

    assert sessions_panel_context(rf.get("/"), seed_course) is None


def test_a_full_session_stays_listed_with_its_waiting_list(client, seed_course):
    course_session = session_with_days(datetime.date(2027, 3, 30), course=seed_course, capacity_seats=1)
    EnrolmentFactory(booking__course_session=course_session)

    content = client.get(seed_course.get_absolute_url()).content.decode()

    assert "Complet — liste d’attente ouverte" in content


@pytest.mark.parametrize("count", [1, 8])
def test_the_panel_runs_a_bounded_number_of_queries_whatever_the_number_of_sessions(
    rf, seed_course, django_assert_max_num_queries, count
):
    for n in range(count):
        course_session = session_with_days(
            datetime.date(2027, 3, 1) + datetime.timedelta(days=7 * n), course=seed_course
        )
        EnrolmentFactory(booking__course_session=course_session)

    with django_assert_max_num_queries(2):
        context = sessions_panel_context(rf.get("/"), seed_course)
    assert len(context["summaries"]) == min(count, SESSIONS_SHOWN)
    assert context["more"] == (count > SESSIONS_SHOWN)
    assert [s.seats_left for s in context["summaries"]] == [11] * min(count, SESSIONS_SHOWN)


def test_the_course_page_shows_the_next_sessions_and_links_to_all_of_them(client, seed_course):
    sessions = [
        session_with_days(datetime.date(2027, 3, 1) + datetime.timedelta(days=7 * n), course=seed_course)
        for n in range(SESSIONS_SHOWN + 3)
    ]
    content = client.get(seed_course.get_absolute_url()).content.decode()
    shown = re.findall(r'data-session="(\d+)"', content)
    assert shown == [str(s.pk) for s in sessions[:SESSIONS_SHOWN]]
    all_url = reverse("enrolment:course_sessions", kwargs={"code": seed_course.code})
    assert all_url in content and "Voir toutes les sessions" in content

    every = client.get(all_url).content.decode()
    assert re.findall(r'data-session="(\d+)"', every) == [str(s.pk) for s in sessions]
    assert "lundi 1 mars 2027" in every or "lundi 1er mars 2027" in every


def test_the_sessions_page_is_paged_and_answers_404_for_an_unpublished_course(client, seed_course):
    for n in range(SESSIONS_PAGE_SIZE + 2):
        session_with_days(datetime.date(2027, 3, 1) + datetime.timedelta(days=7 * n), course=seed_course)
    url = reverse("enrolment:course_sessions", kwargs={"code": seed_course.code})
    assert len(re.findall(r'data-session="', client.get(url).content.decode())) == SESSIONS_PAGE_SIZE
    assert len(re.findall(r'data-session="', client.get(url + "?page=2").content.decode())) == 2
    assert client.get(reverse("enrolment:course_sessions", kwargs={"code": "NOPE"})).status_code == 404


@pytest.mark.parametrize("count", [2, 30])
def test_the_sessions_page_makes_a_bounded_number_of_queries(client, seed_course, django_assert_max_num_queries, count):
    for n in range(count):
        session_with_days(datetime.date(2027, 3, 1) + datetime.timedelta(days=7 * n), course=seed_course)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("enrolment:course_sessions", kwargs={"code": seed_course.code}))
    assert response.status_code == 200


def test_the_listing_gets_each_courses_next_session_date_in_local_time():
    course = CourseFactory()
    other = CourseFactory()
    session_with_days(datetime.date(2027, 5, 4), course=course)
    session_with_days(datetime.date(2027, 4, 6), course=course)
    session_with_days(datetime.date(2027, 3, 30), course=course, status="draft")

    facts = annotate_listing([course, other])

    assert facts[course.pk]["next_session_date"] == datetime.date(2027, 4, 6)
    assert "next_session_date" not in facts[other.pk]


@pytest.mark.parametrize("count", [2, 12])
def test_the_listing_annotator_makes_one_query_for_all_courses(django_assert_max_num_queries, count):
    courses = [CourseFactory() for _ in range(count)]
    for course in courses:
        session_with_days(datetime.date(2027, 4, 6), course=course)
        session_with_days(datetime.date(2027, 5, 4), course=course)

    from academy.scheduling.listing import next_session_dates

    with django_assert_max_num_queries(1):
        facts = next_session_dates(courses)
    assert len(facts) == count


def test_the_catalogue_listing_shows_the_next_session_date(client, seed_course):
    session_with_days(datetime.date(2027, 3, 30), course=seed_course)

    content = client.get(reverse("catalog:course_list")).content.decode()

    assert re.search(r"30(\s|&nbsp;)mars(\s|&nbsp;)2027|30/03/2027", content)


def test_the_panel_links_each_sessions_ics_and_the_course_feed(client, seed_course):
    course_session = session_with_days(datetime.date(2027, 3, 30), course=seed_course)

    content = client.get(seed_course.get_absolute_url()).content.decode()

    assert reverse("scheduling:session_ics", kwargs={"pk": course_session.pk}) in content
    assert reverse("scheduling:course_feed", kwargs={"code": seed_course.code}) in content
    assert "S’abonner aux sessions de cette formation" in content


def test_fc03_the_course_page_shows_09_00_and_14_00_on_both_sides_of_the_clock_change(client, seed_course):
    # Clocks change in Paris on Sunday 2027-03-28.
    session_with_days(datetime.date(2027, 3, 26), datetime.date(2027, 3, 29), course=seed_course)

    content = client.get(seed_course.get_absolute_url()).content.decode()

    assert "vendredi 26 mars : " in content and "lundi 29 mars : " in content
    assert 'datetime="2027-03-26T09:00:00+01:00">09:00<' in content
    assert 'datetime="2027-03-29T09:00:00+02:00">09:00<' in content
    assert content.count(">14:00</time>") == 2
    assert "08:00" not in content and "07:00" not in content
