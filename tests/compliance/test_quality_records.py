"""Complaints, improvement actions and watch: the rules of Qualiopi indicators 23–25, 31 and 32."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from academy.compliance.models import Complaint, ImprovementAction
from academy.compliance.quality.complaints import (
    QualityError,
    answer_complaint,
    close_complaint,
    create_improvement_action,
    file_complaint,
    update_improvement_action,
)
from academy.core.models import OutboundEmail
from tests.english_messages import _english_messages  # noqa: E402, F401 (autouse fixture)
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.privacy import staff_planner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def organisation():
    return TrainingOrganisationFactory(email="contact@academie.exemple")


def a_complaint(**kwargs) -> Complaint:
    values = {
        "source": "trainee",
        "name": "Zoë Núñez",
        "email": "zoe@exemple.fr",
        "subject": "Support illisible",
        "description": "Les diapositives étaient floues.",
    }
    return file_complaint(**{**values, **kwargs})


def test_a_complaint_is_numbered_acknowledged_and_due_within_the_answer_delay(settings):
    settings.COMPLAINT_ANSWER_DAYS = 10
    complaint = a_complaint()
    assert complaint.reference == "R-%d-0001" % timezone.localdate().year
    assert a_complaint().reference == "R-%d-0002" % timezone.localdate().year
    assert complaint.answer_due_on == timezone.localdate() + datetime.timedelta(days=10)
    acknowledgement = OutboundEmail.objects.get(to=["zoe@exemple.fr"], subject__contains=complaint.reference)
    assert "Support illisible" in acknowledgement.body_text
    assert complaint.acknowledged_at is not None


def test_a_complaint_cannot_be_closed_without_an_answer():
    complaint = a_complaint()
    with pytest.raises(QualityError, match="cannot be closed without an answer"):
        close_complaint(complaint=complaint, by=None)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RECEIVED and complaint.closed_at is None


def test_the_database_refuses_a_closed_complaint_without_answer():
    complaint = a_complaint()
    complaint.status = Complaint.Status.CLOSED
    complaint.closed_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        complaint.save()


def test_answering_e_mails_the_answer_then_closing_freezes_it():
    staff = staff_planner()
    complaint = answer_complaint(
        complaint=a_complaint(), answer="Nous renvoyons les supports en haute définition.", by=staff
    )
    assert complaint.status == Complaint.Status.ANSWERED and complaint.answered_by == staff
    assert OutboundEmail.objects.filter(body_text__contains="haute définition").count() == 1
    complaint = close_complaint(complaint=complaint, by=staff)
    assert complaint.status == Complaint.Status.CLOSED
    with pytest.raises(QualityError, match="closed"):
        answer_complaint(complaint=complaint, answer="Autre chose", by=staff)


def test_an_empty_answer_is_refused():
    with pytest.raises(QualityError, match="Write the answer"):
        answer_complaint(complaint=a_complaint(), answer="   ", by=None)


def test_a_complaint_received_in_the_future_is_refused():
    with pytest.raises(QualityError, match="future"):
        a_complaint(received_at=timezone.now() + datetime.timedelta(hours=2))
    assert not Complaint.objects.exists()


def test_an_improvement_action_without_owner_or_due_date_is_refused():
    staff = staff_planner()
    with pytest.raises(QualityError, match="owner"):
        create_improvement_action(title="Salle", cause="other", owner=None, due_on=datetime.date(2027, 1, 1))
    with pytest.raises(QualityError, match="due date"):
        create_improvement_action(title="Salle", cause="other", owner=staff, due_on=None)
    assert not ImprovementAction.objects.exists()


def test_an_action_caused_by_a_complaint_must_name_it():
    with pytest.raises(QualityError, match="complaint that caused"):
        create_improvement_action(
            title="Salle", cause="complaint", owner=staff_planner(), due_on=datetime.date(2027, 1, 1)
        )


def test_an_action_is_done_only_with_its_effect():
    action = create_improvement_action(
        title="Salle",
        cause="complaint",
        complaint=a_complaint(),
        owner=staff_planner(),
        due_on=datetime.date(2027, 1, 1),
    )
    with pytest.raises(QualityError, match="changed"):
        update_improvement_action(action=action, status="done", effect="")
    action = update_improvement_action(action=action, status="done", effect="Plus aucune plainte sur le bruit.")
    assert action.is_closed and action.closed_at is not None


def test_the_staff_form_refuses_an_action_without_owner_and_due_date_with_messages_on_the_fields():
    client = Client()
    client.force_login(staff_planner())
    response = client.post(reverse("compliance:action_new"), {"title": "Salle", "cause": "other"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"owner", "due_on"}
    assert not ImprovementAction.objects.exists()


def test_the_public_form_files_a_complaint_and_a_robot_is_thanked_but_ignored():
    client = Client()
    data = {
        "source": "client",
        "name": "Marc Dupont",
        "email": "marc@exemple.fr",
        "organisation_name": "ACME",
        "course_reference": "COMNUM du 30/03",
        "subject": "Facture erronée",
        "description": "Le montant ne correspond pas au devis.",
    }
    response = client.post(reverse("compliance:complaint_form"), data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.source == "client" and "COMNUM du 30/03" in complaint.description
    response = client.post(reverse("compliance:complaint_form"), {**data, "website": "http://spam"})
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_the_public_form_says_what_is_missing():
    response = Client().post(reverse("compliance:complaint_form"), {"name": "Marc"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"email", "subject", "description"}
    assert not Complaint.objects.exists()


def test_the_yearly_review_lists_the_year_s_complaints_and_actions():
    staff = staff_planner()
    complaint = close_complaint(
        complaint=answer_complaint(complaint=a_complaint(), answer="Réponse", by=staff), by=staff
    )
    create_improvement_action(
        title="Nouveau vidéoprojecteur",
        cause="complaint",
        complaint=complaint,
        owner=staff,
        due_on=datetime.date(2027, 1, 1),
    )
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("compliance:review")).content.decode()
    assert complaint.reference in page and "Nouveau vidéoprojecteur" in page


def test_erasing_a_person_anonymises_their_complaints_but_keeps_the_record():
    from academy.compliance.personal_data import PROVIDER

    complaint = a_complaint()
    assert PROVIDER.export("zoe@exemple.fr")["complaints"][0]["reference"] == complaint.reference
    assert PROVIDER.erase("zoe@exemple.fr") == 1
    complaint.refresh_from_db()
    assert complaint.email == "" and "Zoë" not in complaint.name and complaint.subject == "Support illisible"
    assert PROVIDER.export("zoe@exemple.fr") == {}


def test_the_complaint_confirmation_shows_its_reference_and_answer_due_date():
    TrainingOrganisationFactory()
    client = Client()
    data = {
        "source": "trainee",
        "name": "Marc Dupont",
        "email": "marc@exemple.fr",
        "subject": "Salle bruyante",
        "description": "Travaux pendant la formation.",
    }
    response = client.post(reverse("compliance:complaint_form"), data, follow=True)
    complaint = Complaint.objects.get()
    html = response.content.decode()
    assert complaint.reference in html
    assert date_format(complaint.answer_due_on, "DATE_FORMAT") in html


def test_the_complaint_form_is_linked_from_the_footer_the_contact_page_and_the_sitemap():
    TrainingOrganisationFactory()
    client = Client()
    with translation.override("fr"):
        form_url, contact_url = reverse("compliance:complaint_form"), reverse("catalog:contact")
    contact = client.get(contact_url).content.decode()
    assert contact.count('href="%s"' % form_url) == 2  # the footer and the contact form's introduction
    assert 'href="%s"' % form_url in client.get(reverse("evaluation:indicators")).content.decode()
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver%s</loc>" % form_url in pages
