"""Course page snapshots in a real browser, in French: an edit in the back office is kept as published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.catalog.models import CoursePageSnapshot
from tests.factories.privacy import PASSWORD, staff_planner

pytestmark = pytest.mark.e2e


def test_a_planner_edits_a_course_then_opens_the_page_as_it_was_and_as_it_is(page, seed_course, screenshot):
    staff_planner(username="planning")
    before = CoursePageSnapshot.objects.filter(course=seed_course, language="fr").count()

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "planning")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")

    page.goto(reverse("admin:catalog_course_change", args=[seed_course.pk]))
    page.fill("#id_title", "Les communs numériques — édition 2027")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url("**/admin/catalog/course/")

    snapshots = CoursePageSnapshot.objects.filter(course=seed_course, language="fr").order_by("taken_at", "pk")
    assert snapshots.count() == before + 1  # taken in the background once the edit was committed
    page.goto(reverse("admin:catalog_course_change", args=[seed_course.pk]))
    page.get_by_role("link", name="instantanés de la page publique").click()
    page.wait_for_url("**/coursepagesnapshot/**")
    opened = page.get_by_role("link", name="Ouvrir la page telle que publiée")
    assert opened.count() == CoursePageSnapshot.objects.filter(course=seed_course).count()  # French and English
    screenshot(page, "course-page-snapshots-list")

    page.goto(reverse("admin:catalog_coursepagesnapshot_page", args=[snapshots.first().pk]))
    assert page.get_by_role("heading", level=1).inner_text() == "Les communs numériques"
    screenshot(page, "course-page-snapshot-as-published")
    page.goto(reverse("admin:catalog_coursepagesnapshot_page", args=[snapshots.last().pk]))
    assert page.get_by_role("heading", level=1).inner_text() == "Les communs numériques — édition 2027"
