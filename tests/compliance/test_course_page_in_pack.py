"""The evidence pack holds the course page as published when the session started (Qualiopi indicator 1)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from academy.catalog.models import CoursePageSnapshot
from academy.catalog.snapshots import take_course_page_snapshots
from academy.compliance.models import EvidencePack
from academy.compliance.quality.packs import pack_contents
from tests.clock import CLOCK, restore_clock  # noqa: F401 (fixture)
from tests.factories.scheduling import paris, session_with_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("restore_clock")]

DAY = datetime.date(2027, 3, 10)


def _pack(course_session) -> tuple[dict[str, bytes], str]:
    with translation.override("fr"):
        files, _as_of = pack_contents(EvidencePack(course_session=course_session))
    files = dict(files)
    return files, files["index.html"].decode()


def test_a_course_edit_after_the_session_started_does_not_change_the_page_in_its_pack(
    seed_course, django_capture_on_commit_callbacks
):
    course_session = session_with_days(DAY, course=seed_course)
    CLOCK.at(paris(2027, 3, 1, 8, 15))
    take_course_page_snapshots(seed_course)
    CLOCK.at(paris(2027, 3, 10, 10, 0))  # the first half-day started at 09:00
    with django_capture_on_commit_callbacks(execute=True):
        seed_course.title = "Les communs numériques, nouvelle version"
        seed_course.save()
    CLOCK.back_to_now()
    assert CoursePageSnapshot.objects.filter(course=seed_course, language="fr").count() == 2

    files, index = _pack(course_session)
    page = files["course-page.html"].decode()
    assert "Les communs numériques" in page and "nouvelle version" not in page
    assert "course-page-en.html" in files
    assert "01/03/2027 08:15" in index and "10/03/2027 09:00" in index
    assert "publiée le 01/03/2027 08:15" in index


def test_without_a_snapshot_before_the_start_the_pack_gives_the_first_one_after_and_says_so(
    seed_course,
):
    course_session = session_with_days(DAY, course=seed_course)
    CLOCK.at(paris(2027, 3, 12, 16, 0))
    take_course_page_snapshots(seed_course)
    CLOCK.back_to_now()
    files, index = _pack(course_session)
    assert "Les communs numériques" in files["course-page.html"].decode()
    assert "aucun instantané n’a été pris avant le début de la session le 10/03/2027 09:00" in index
    assert "12/03/2027 16:00" in index


def test_the_pack_index_says_when_the_course_page_was_never_taken(seed_course):
    course_session = session_with_days(DAY, course=seed_course)
    files, index = _pack(course_session)
    assert "course-page.html" not in files
    assert "Aucun instantané de la page de la formation (fr)" in index


def test_a_period_pack_holds_each_session_s_course_page(seed_course):
    first = session_with_days(DAY, course=seed_course)
    CLOCK.at(paris(2027, 3, 1, 8, 15))
    take_course_page_snapshots(seed_course)
    CLOCK.back_to_now()
    with translation.override("fr"):
        files, _as_of = pack_contents(
            EvidencePack(period_start=datetime.date(2027, 3, 1), period_end=datetime.date(2027, 3, 31))
        )
    files = dict(files)
    folder = "sessions/%s-%d/" % (seed_course.code, first.pk)
    assert "Les communs numériques" in files[folder + "course-page.html"].decode()
    assert 'href="%scourse-page.html"' % folder in files["index.html"].decode()
