"""The back office in French, in a real browser: HTML5 date and time inputs keep their values."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from academy.scheduling.models import CourseSession
from tests.factories.privacy import PASSWORD, staff_admin
from tests.factories.scheduling import TrainerFactory, session_with_days

pytestmark = pytest.mark.e2e
PARIS = ZoneInfo("Europe/Paris")


def _slot_times(course_session) -> list[tuple[str, str]]:
    return [
        (s.starts_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M"), s.ends_at.astimezone(PARIS).strftime("%H:%M"))
        for s in course_session.slots.order_by("starts_at")
    ]


def _log_in(page) -> None:
    staff_admin(username="planning")
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "planning")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


def test_french_admin_saves_session_without_losing_dates(page, screenshot):
    course_session = session_with_days(datetime.date(2027, 3, 26), datetime.date(2027, 3, 29), capacity_seats=12)
    course_session.trainers.add(TrainerFactory())
    before = _slot_times(course_session)
    _log_in(page)

    page.goto(reverse("admin:scheduling_coursesession_change", args=[course_session.pk]))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("input[name='slots-0-day']").input_value() == "2027-03-26"
    assert page.locator("input[name='slots-0-start_time']").input_value() == "09:00"
    assert page.locator("input[name='slots-3-day']").input_value() == "2027-03-29"
    page.fill("input[name='capacity_seats']", "15")
    screenshot(page, "admin-fr-01-session-change")
    page.locator("input[name='_save']").click()
    page.wait_for_url("**/scheduling/coursesession/")
    screenshot(page, "admin-fr-02-session-saved")

    assert page.locator(".errorlist").count() == 0
    course_session.refresh_from_db()
    assert course_session.capacity_seats == 15
    assert _slot_times(course_session) == before


def test_french_admin_copy_page_keeps_the_typed_date_and_copies_the_session(page, screenshot):
    course_session = session_with_days(datetime.date(2027, 3, 26), datetime.date(2027, 3, 29))
    _log_in(page)

    page.goto(reverse("admin:scheduling_coursesession_changelist"))
    page.check("input[name='_selected_action'][value='%d']" % course_session.pk)
    page.select_option("select[name='action']", "copy_to_new_dates")
    page.get_by_role("button", name="Envoyer").click()
    page.locator("input[name='first_day']").fill("2020-01-06")
    page.get_by_role("button", name="Copier").click()
    assert page.locator(".errorlist").inner_text().strip() != ""
    assert page.locator("input[name='first_day']").input_value() == "2020-01-06"
    screenshot(page, "admin-fr-03-copy-page")

    page.locator("input[name='first_day']").fill("2027-06-07")
    page.get_by_role("button", name="Copier").click()
    page.wait_for_url("**/change/")
    copy = CourseSession.objects.exclude(pk=course_session.pk).get()
    assert _slot_times(copy) == [
        ("2027-06-07 09:00", "12:30"),
        ("2027-06-07 14:00", "17:30"),
        ("2027-06-10 09:00", "12:30"),
        ("2027-06-10 14:00", "17:30"),
    ]
    assert page.locator("input[name='slots-2-day']").input_value() == "2027-06-10"
    screenshot(page, "admin-fr-04-copy-saved")
