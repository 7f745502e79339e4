"""Cookieless audience measurement: anonymous counts per page and day, 25-month retention."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.core.scheduler import periodic_jobs
from academy.privacy.models import PageViewCount
from academy.privacy.services import count_page_view, flush_page_views, months_before, purge_audience
from tests.factories.privacy import UserFactory, staff_planner

pytestmark = pytest.mark.django_db


def test_a_page_view_is_counted_for_its_path_and_day(client, seed_course):
    client.get("/")
    client.get("/")
    flush_page_views()
    row = PageViewCount.objects.get(path="/")
    assert row.views == 2 and row.day == timezone.localdate()


def test_counting_sets_no_cookie_and_stores_no_ip_nor_user_agent(client, seed_course):
    response = client.get("/", REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox/140 unique-agent")
    assert set(response.cookies) <= {"csrftoken"}
    flush_page_views()
    stored = [str(v) for v in PageViewCount.objects.values_list("day", "path", "views")]
    assert not any("198.51.100.7" in s or "unique-agent" in s for s in stored)
    assert {f.name for f in PageViewCount._meta.fields} == {"id", "day", "path", "views"}


def test_missing_pages_redirects_and_posts_are_not_counted(client, seed_course):
    client.get("/courses/NOPE/")
    client.post(reverse("privacy:consent"), {"choice": "refuse_all"})
    flush_page_views()
    assert not PageViewCount.objects.filter(path__in=["/courses/NOPE/", reverse("privacy:consent")]).exists()


def test_robots_are_not_counted(client, seed_course):
    client.get("/", HTTP_USER_AGENT="Googlebot/2.1")
    flush_page_views()
    assert not PageViewCount.objects.exists()


def test_staff_see_the_counts_per_page(client, seed_course):
    client.get("/")
    client.force_login(staff_planner())
    response = client.get(reverse("privacy:audience"))
    assert response.status_code == 200
    assert "<code>/</code></td><td>1</td>" in response.content.decode()


def test_a_visitor_without_a_staff_role_cannot_see_the_counts(client):
    client.force_login(UserFactory())
    assert client.get(reverse("privacy:audience")).status_code == 403


def test_the_audience_page_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries, seed_course):
    client.force_login(staff_planner())
    for n in range(3):
        PageViewCount.objects.create(day=timezone.localdate(), path="/p%d/" % n, views=n + 1)
    with django_assert_max_num_queries(8):
        client.get(reverse("privacy:audience"))
    for n in range(3, 300):
        PageViewCount.objects.create(
            day=timezone.localdate() - datetime.timedelta(days=n % 30), path="/p%d/" % n, views=1
        )
    with django_assert_max_num_queries(8):
        client.get(reverse("privacy:audience"))


def test_counts_older_than_25_months_are_deleted():
    today = datetime.date(2026, 11, 29)
    PageViewCount.objects.create(day=datetime.date(2024, 10, 28), path="/old/", views=3)
    PageViewCount.objects.create(day=datetime.date(2024, 10, 29), path="/kept/", views=3)
    assert purge_audience(today=today) == 1
    assert list(PageViewCount.objects.values_list("path", flat=True)) == ["/kept/"]


def test_months_before_clips_to_the_end_of_the_month():
    assert months_before(datetime.date(2027, 3, 31), 25) == datetime.date(2025, 2, 28)


def test_the_purge_is_registered_as_periodic_work():
    assert {"privacy.purge_audience", "privacy.apply_retention"} <= set(periodic_jobs())


def test_a_page_view_writes_nothing_to_the_database_until_the_periodic_flush(
    client, seed_course, django_assert_num_queries
):
    client.get("/")  # the page is now cached
    with django_assert_num_queries(0):
        client.get("/")
    assert not PageViewCount.objects.exists()
    assert flush_page_views() == 2
    assert PageViewCount.objects.get(path="/").views == 2
    client.get("/")
    assert flush_page_views() == 1  # a second flush adds only the new view
    assert flush_page_views() == 0
    assert PageViewCount.objects.get(path="/").views == 3


def test_buffered_views_of_past_days_are_flushed_then_dropped(seed_course):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for _ in range(3):
        count_page_view(path="/hier/", day=yesterday)
    count_page_view(path="/", day=timezone.localdate())
    assert flush_page_views() == 4
    assert PageViewCount.objects.get(path="/hier/", day=yesterday).views == 3
    count_page_view(path="/", day=timezone.localdate())
    assert flush_page_views() == 1
    assert PageViewCount.objects.get(path="/hier/").views == 3


def test_the_flush_is_registered_as_periodic_work():
    assert "privacy.flush_audience" in periodic_jobs()


def test_the_staff_audience_page_shows_views_not_yet_flushed(client, seed_course):
    count_page_view(path="/tout-frais/", day=timezone.localdate())
    PageViewCount.objects.all().delete()
    client.force_login(staff_planner())
    assert "/tout-frais/" in client.get(reverse("privacy:audience")).content.decode()
