"""Snapshots of the public course pages: taken after a change is committed, never twice the same."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from academy.catalog.models import Course, CoursePageSnapshot
from academy.catalog.snapshots import take_course_page_snapshots
from academy.core.pagecache import CONSENT_PLACEHOLDER, CSRF_PLACEHOLDER
from tests.factories.privacy import UserFactory, staff_planner

pytestmark = pytest.mark.django_db


def test_a_snapshot_is_the_public_page_in_each_language_without_per_visitor_parts(seed_course):
    stored = take_course_page_snapshots(seed_course)
    assert sorted(s.language for s in stored) == ["en", "fr"]
    french = next(s for s in stored if s.language == "fr")
    assert "Les communs numériques" in french.html and 'lang="fr"' in french.html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', french.html)
    assert tokens and set(tokens) == {CSRF_PLACEHOLDER}  # no visitor's token is kept
    assert CONSENT_PLACEHOLDER in french.html  # the banner a visitor sees depends on their own cookie
    english = next(s for s in stored if s.language == "en")
    assert english.html != french.html and 'lang="en"' in english.html


def test_identical_renders_store_no_duplicate(seed_course):
    take_course_page_snapshots(seed_course)
    assert take_course_page_snapshots(seed_course) == []
    assert CoursePageSnapshot.objects.filter(course=seed_course).count() == 2


def test_a_committed_change_of_the_course_stores_a_new_snapshot(seed_course, django_capture_on_commit_callbacks):
    take_course_page_snapshots(seed_course)
    with django_capture_on_commit_callbacks(execute=True):
        seed_course.title = "Les communs numériques, édition revue"
        seed_course.save()
    latest = CoursePageSnapshot.objects.filter(course=seed_course, language="fr").order_by("-taken_at", "-pk")
    assert latest.count() == 2
    assert "édition revue" in latest.first().html and "édition revue" not in latest.last().html


def test_a_rolled_back_change_stores_nothing(seed_course, django_capture_on_commit_callbacks):
    take_course_page_snapshots(seed_course)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        seed_course.title = "Jamais publié"
        seed_course.save()
    # The callbacks of a transaction that rolls back never run: nothing was queued meanwhile.
    assert callbacks and CoursePageSnapshot.objects.filter(course=seed_course).count() == 2


def test_a_draft_course_has_no_public_page_to_snapshot(seed_course, django_capture_on_commit_callbacks):
    Course.objects.filter(pk=seed_course.pk).update(status=Course.Status.DRAFT)
    seed_course.refresh_from_db()
    assert take_course_page_snapshots(seed_course) == []
    with django_capture_on_commit_callbacks(execute=True):
        seed_course.status = Course.Status.PUBLISHED
        seed_course.save()  # publication is a change of the catalogue: its page is taken then
    assert CoursePageSnapshot.objects.filter(course=seed_course).count() == 2


def test_the_command_snapshots_every_published_course_once(seed_course):
    out = []
    call_command("snapshot_course_pages", stdout=_Collect(out))
    call_command("snapshot_course_pages", stdout=_Collect(out))
    assert out == ["2 course page snapshot(s) stored.\n", "0 course page snapshot(s) stored.\n"]
    with pytest.raises(CommandError, match="NOPE"):
        call_command("snapshot_course_pages", "--course", "NOPE")


def test_staff_list_a_course_s_snapshots_and_open_one(seed_course):
    snapshot = next(s for s in take_course_page_snapshots(seed_course) if s.language == "fr")
    client = Client()
    client.force_login(staff_planner())
    listing = client.get(reverse("admin:catalog_coursepagesnapshot_changelist"), {"course__id__exact": seed_course.pk})
    page_url = reverse("admin:catalog_coursepagesnapshot_page", args=[snapshot.pk])
    assert listing.status_code == 200 and page_url in listing.content.decode()
    course_page = client.get(reverse("admin:catalog_course_change", args=[seed_course.pk]))
    assert "?course__id__exact=%d" % seed_course.pk in course_page.content.decode()
    page = client.get(page_url)
    assert page.status_code == 200 and page.content.decode() == snapshot.html
    assert page["Content-Security-Policy"] == "sandbox"
    client.force_login(UserFactory(is_staff=True))
    assert client.get(page_url).status_code == 403


class _Collect:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        self.lines.append(text)

    def flush(self):
        pass


def test_the_daily_refresh_runs_once_a_day_whatever_the_number_of_calls(seed_course):
    from academy.catalog.tasks import refresh_course_page_snapshots_task
    from academy.core.scheduler import periodic_jobs

    assert "catalog.refresh_course_page_snapshots" in periodic_jobs()
    assert refresh_course_page_snapshots_task.call() == 2
    Course.objects.filter(pk=seed_course.pk).update(title="Titre changé sans passer par l’enregistrement")
    assert refresh_course_page_snapshots_task.call() == 0  # already claimed today


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_snapshot_tasks_at_once_store_one_snapshot_per_language(require_postgresql, seed_course):
    from tests.enrolment.test_concurrency import run_in_parallel

    CoursePageSnapshot.objects.all().delete()  # the import's own commit took them already
    results = run_in_parallel([lambda: len(take_course_page_snapshots(seed_course)) for _ in range(4)])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(results) == 2
    assert CoursePageSnapshot.objects.filter(course=seed_course).count() == 2


def test_a_render_older_than_the_latest_snapshot_is_not_stored(seed_course):
    import datetime

    from django.utils import timezone

    later = timezone.now()
    take_course_page_snapshots(seed_course, at=later)
    Course.objects.filter(pk=seed_course.pk).update(title="Un autre titre")
    assert take_course_page_snapshots(seed_course, at=later - datetime.timedelta(seconds=5)) == []


def test_a_change_of_the_catalogue_alone_renders_no_page_but_an_objective_edit_renders_its_course(
    seed_course, django_capture_on_commit_callbacks
):
    from academy.catalog.pagecache import invalidate_catalogue

    take_course_page_snapshots(seed_course)
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_catalogue()  # e.g. another course's session: only the "other courses" block moves
    assert CoursePageSnapshot.objects.filter(course=seed_course).count() == 2
    objective = seed_course.objectives.first()
    with django_capture_on_commit_callbacks(execute=True):
        objective.text = objective.text + " (revu)"
        objective.save()
    assert CoursePageSnapshot.objects.filter(course=seed_course).count() == 4
