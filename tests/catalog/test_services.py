"""Publication rule (Qualiopi indicator 1) and requests from the public."""

from __future__ import annotations

import pytest
from django.utils import translation

from academy.catalog.exceptions import CoursePublicationError
from academy.catalog.models import Course, Lead
from academy.catalog.services import missing_public_items, publish_course, record_lead
from academy.core.models import OutboundEmail
from tests.factories.catalog import CourseFactory, LearningObjectiveFactory, ProgrammeSectionFactory
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.privacy import staff_planner


def _complete_course(**kwargs):
    course = CourseFactory(status=Course.Status.DRAFT, **kwargs)
    LearningObjectiveFactory(course=course)
    ProgrammeSectionFactory(course=course)
    return course


def test_seed_course_has_every_public_item(seed_course):
    assert missing_public_items(seed_course) == []


def test_missing_items_are_listed_by_name(db):
    course = _complete_course(access_delay="", price_excl_vat=None, price_note="")
    with translation.override("en"):
        assert missing_public_items(course) == ["access delay", "price (amount or note)"]


def test_missing_items_are_named_in_french_by_default(db):
    course = _complete_course(access_delay="")
    with translation.override("fr"):
        assert missing_public_items(course) == ["délai d'accès"]


def test_explicit_no_prerequisite_counts_as_the_prerequisites_item(db):
    course = _complete_course(has_prerequisites=False, prerequisites="")
    assert missing_public_items(course) == []


def test_prerequisites_ticked_but_empty_is_missing(db):
    course = _complete_course(has_prerequisites=True, prerequisites="")
    with translation.override("en"):
        assert missing_public_items(course) == ["prerequisites (or an explicit “no prerequisite”)"]


def test_publish_refuses_a_course_without_objectives_and_leaves_it_draft(db):
    course = CourseFactory(status=Course.Status.DRAFT)
    ProgrammeSectionFactory(course=course)
    with translation.override("en"), pytest.raises(CoursePublicationError, match="missing learning objectives"):
        publish_course(course=course)
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT


def test_publish_publishes_a_complete_course(db):
    course = _complete_course()
    publish_course(course=course)
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED


def test_time_split_not_totalling_100_is_a_field_error(db):
    from django.core.exceptions import ValidationError

    course = CourseFactory.build(split_lectures_pct=50, split_practice_pct=40, split_discussion_pct=20)
    with translation.override("en"), pytest.raises(ValidationError, match="must total 100 % \\(it totals 110 %\\)"):
        course.clean()


def test_record_lead_stores_it_and_queues_acknowledgement_and_staff_notification(
    db, django_capture_on_commit_callbacks
):
    TrainingOrganisationFactory(email="contact@academie.exemple")
    course = CourseFactory(title="Les communs numériques")
    with django_capture_on_commit_callbacks(execute=True):
        lead = record_lead(
            kind=Lead.Kind.QUOTE,
            course=course,
            values={
                "first_name": "Zoë",
                "last_name": "Ñúñez-Łukasiewicz",
                "email": "zoe@exemple.fr",
                "trainee_count": 8,
            },
            language="fr",
        )
    assert lead.status == Lead.Status.NEW
    acknowledgement = OutboundEmail.objects.get(category="lead_acknowledgement")
    notification = OutboundEmail.objects.get(category="lead_notification")
    assert acknowledgement.to == ["zoe@exemple.fr"]
    assert "Bonjour Zoë" in acknowledgement.body_text
    assert notification.to == ["contact@academie.exemple"]
    assert notification.reply_to == ["zoe@exemple.fr"]
    assert "Nombre de stagiaires : 8" in notification.body_text


def test_staff_are_notified_when_the_organisation_has_no_contact_email(db, django_user_model):
    TrainingOrganisationFactory(email="")
    staff_planner(username="staff", email="staff@academie.exemple")
    record_lead(
        kind=Lead.Kind.CONTACT,
        course=None,
        values={"first_name": "A", "last_name": "B", "email": "a@b.fr", "message": "Bonjour"},
    )
    assert OutboundEmail.objects.get(category="lead_notification").to == ["staff@academie.exemple"]


def test_a_lead_is_not_saved_when_its_email_cannot_be_queued(db, monkeypatch):
    import academy.core.services as services

    def broken_queue_email(**kwargs):
        raise RuntimeError("mail store unavailable")

    monkeypatch.setattr(services, "queue_email", broken_queue_email)
    with pytest.raises(RuntimeError, match="mail store unavailable"):
        record_lead(
            kind=Lead.Kind.CONTACT, course=None, values={"first_name": "A", "last_name": "B", "email": "a@b.fr"}
        )
    assert not Lead.objects.exists()


SPAM = "Gagnez 10 000 € sur https://arnaque.exemple/offre maintenant"


@pytest.mark.parametrize("kind", [Lead.Kind.CONTACT, Lead.Kind.QUOTE, Lead.Kind.CUSTOMISATION, Lead.Kind.INTEREST])
def test_the_acknowledgement_never_echoes_free_text_typed_by_the_visitor(db, kind, django_capture_on_commit_callbacks):
    TrainingOrganisationFactory(email="contact@academie.exemple")
    course = CourseFactory(title="Les communs numériques")
    with django_capture_on_commit_callbacks(execute=True):
        record_lead(
            kind=kind,
            course=course,
            values={
                "first_name": SPAM,
                "last_name": SPAM,
                "email": "victime@exemple.fr",
                "organisation_name": SPAM,
                "wished_period": SPAM,
                "place": SPAM,
                "message": SPAM,
            },
            language="fr",
        )
    acknowledgement = OutboundEmail.objects.get(category="lead_acknowledgement")
    rendered = " ".join([acknowledgement.subject, acknowledgement.body_text, acknowledgement.body_html])
    assert "arnaque" not in rendered and "Gagnez" not in rendered
    assert acknowledgement.body_text.startswith("Bonjour,")
    assert "Les communs numériques" in acknowledgement.body_text
    assert acknowledgement.display_names == {}
    assert SPAM in OutboundEmail.objects.get(category="lead_notification").body_text


@pytest.mark.parametrize(
    ("typed", "greeted"),
    [("Zoë", "Zoë"), ("Jean-Noël", "Jean-Noël"), ("  Anh  ", "Anh"), ("www.arnaque.exemple", ""), ("a" * 41, "")],
)
def test_only_a_first_name_that_reads_as_a_name_is_greeted(typed, greeted):
    from academy.catalog.services import greeting_name

    assert greeting_name(typed) == greeted
