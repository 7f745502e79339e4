"""Back office: courses with inlines, indicator 1 shown, publication refused, leads."""

from __future__ import annotations

from django.urls import reverse

from academy.catalog.models import Course, Lead
from tests.factories.catalog import CourseFactory


def _course_form(course: Course, **overrides) -> dict:
    data = {
        "code": course.code,
        "title": course.title,
        "subtitle": "",
        "domain": course.domain_id,
        "status": course.status,
        "content_updated_on": "2026-11-01",
        "format": "Stage pratique",
        "level": "fundamentals",
        "language": "fr",
        "duration_hours": "7",
        "duration_days": "1",
        "split_lectures_pct": "40",
        "split_practice_pct": "40",
        "split_discussion_pct": "20",
        "description": "D",
        "audience": "A",
        "audience_also": "",
        "has_prerequisites": "",
        "prerequisites": "",
        "teaching_methods": "T",
        "accessibility": "Acc",
        "trainer_profile": "",
        "evaluation_methods": "E",
        "access_delay": "7 jours",
        "price_excl_vat": "950",
        "price_currency": "EUR",
        "price_note": "",
        "objectives-TOTAL_FORMS": "0",
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "0",
        "objectives-MAX_NUM_FORMS": "1000",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "resources-TOTAL_FORMS": "0",
        "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_course_change_page_shows_missing_indicator_1_items(admin_client, db):
    course = CourseFactory(status=Course.Status.DRAFT, access_delay="")
    html = admin_client.get(reverse("admin:catalog_course_change", args=[course.pk])).content.decode()
    assert "Manquant avant publication" in html
    assert "délai d&#x27;accès" in html or "délai d'accès" in html


def test_time_split_not_totalling_100_is_refused_in_the_back_office(admin_client, db):
    course = CourseFactory(status=Course.Status.DRAFT)
    response = admin_client.post(
        reverse("admin:catalog_course_change", args=[course.pk]), _course_form(course, split_lectures_pct="50")
    )
    assert response.status_code == 200
    assert "La répartition du temps doit totaliser 100 % (elle totalise 110 %)." in response.content.decode()
    course.refresh_from_db()
    assert course.split_lectures_pct == 40


def test_publishing_from_the_back_office_without_objectives_keeps_a_draft(admin_client, db):
    course = CourseFactory(status=Course.Status.DRAFT)
    response = admin_client.post(
        reverse("admin:catalog_course_change", args=[course.pk]), _course_form(course, status="published"), follow=True
    )
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT
    assert "enregistrée en brouillon, sans être publiée : il manque objectifs pédagogiques" in response.content.decode()


def test_publishing_with_objectives_and_programme_inline_succeeds(admin_client, db):
    course = CourseFactory(status=Course.Status.DRAFT)
    form = _course_form(
        course,
        status="published",
        **{
            "objectives-TOTAL_FORMS": "1",
            "objectives-0-position": "0",
            "objectives-0-text": "Comprendre",
            "sections-TOTAL_FORMS": "1",
            "sections-0-position": "0",
            "sections-0-title": "OUVERTURE",
        },
    )
    admin_client.post(reverse("admin:catalog_course_change", args=[course.pk]), form)
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED
    assert course.objectives.get().text == "Comprendre"


def test_leads_are_listed_for_staff_and_their_status_is_editable(admin_client, db):
    lead = Lead.objects.create(kind=Lead.Kind.QUOTE, first_name="Zoë", last_name="N", email="z@e.fr")
    html = admin_client.get(reverse("admin:catalog_lead_changelist")).content.decode()
    assert "Zoë" in html and 'name="form-0-status"' in html
    admin_client.post(
        reverse("admin:catalog_lead_change", args=[lead.pk]),
        {
            "kind": "quote",
            "status": "won",
            "first_name": "Zoë",
            "last_name": "N",
            "email": "z@e.fr",
            "organisation_name": "",
            "phone": "",
            "wished_period": "",
            "place": "",
            "message": "",
        },
    )
    lead.refresh_from_db()
    assert lead.status == Lead.Status.WON
