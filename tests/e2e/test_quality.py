"""Complaints and improvement in a real browser, in French: from the public form to the yearly review."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.compliance.models import Complaint, ImprovementAction
from academy.core.models import OutboundEmail
from tests.factories.core import TrainingOrganisationFactory
from tests.factories.privacy import PASSWORD, staff_admin

pytestmark = pytest.mark.e2e


def test_a_visitor_complains_and_staff_answer_improve_and_close_then_the_review_shows_it(page, screenshot):
    TrainingOrganisationFactory(email="contact@academie.exemple")
    staff = staff_admin(username="qualite", first_name="Inès", last_name="Durand")

    # A visitor files a complaint from the public form.
    page.goto(reverse("compliance:complaint_form"))
    assert page.get_by_role("heading", name="Faire une réclamation").is_visible()
    page.get_by_role("button", name="Tout refuser").click()
    page.get_by_label("Vous êtes").select_option("client")
    page.get_by_label("Votre nom").fill("Marc Dupont")
    page.get_by_label("Votre e-mail").fill("marc.dupont@exemple.fr")
    page.get_by_label("Organisation (facultatif)").fill("Coopérative des Communs")
    page.get_by_label("Objet de votre réclamation").fill("Salle trop bruyante")
    page.get_by_label("Décrivez ce qui s’est passé").fill("Des travaux pendant toute l’après-midi du 24 novembre.")
    screenshot(page, "quality-complaint-form")
    page.get_by_role("button", name="Envoyer ma réclamation").click()
    assert page.get_by_text("votre réclamation a bien été reçue").is_visible()
    complaint = Complaint.objects.get()
    assert OutboundEmail.objects.filter(to=["marc.dupont@exemple.fr"], subject__contains=complaint.reference).exists()

    # Staff sign in and answer it.
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "qualite")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")
    page.goto(reverse("compliance:complaints"))
    page.get_by_role("link", name=complaint.reference).click()
    page.get_by_role("button", name="Clôturer la réclamation").click()
    assert page.get_by_text("Une réclamation ne peut pas être clôturée sans réponse.").is_visible()
    page.locator("#id_answer").fill("Nous avons changé de salle pour les prochaines sessions.")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    assert page.get_by_text("Réponse enregistrée.").is_visible()

    # They create the improvement action it calls for, then mark it done with its effect.
    page.get_by_role("link", name="Créer une action d’amélioration").click()
    page.get_by_label("Titre").fill("Réserver des salles au calme")
    page.get_by_label("Pilote").select_option(str(staff.pk))
    page.get_by_label("Échéance").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    screenshot(page, "quality-improvement-action-new")
    page.get_by_role("button", name="Créer l’action").click()
    assert page.get_by_text("Action d’amélioration créée.").is_visible()
    page.get_by_label("Statut").select_option("done")
    page.get_by_label("Effet").fill("Plus aucune plainte sur le bruit depuis le changement de salle.")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_text("Action d’amélioration mise à jour.").is_visible()
    action = ImprovementAction.objects.get()
    assert action.status == "done" and action.complaint == complaint and action.owner == staff

    # They close the complaint.
    page.goto(reverse("compliance:complaint", args=[complaint.pk]))
    page.get_by_role("button", name="Clôturer la réclamation").click()
    assert page.get_by_text("Réclamation clôturée.").is_visible()
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.answer.startswith("Nous avons changé")

    # The yearly review shows both.
    page.goto(reverse("compliance:review"))
    complaints = page.locator("[data-review-complaints]")
    actions = page.locator("[data-review-actions]")
    assert complaints.get_by_text(complaint.reference).is_visible()
    assert complaints.get_by_text("Clôturée").is_visible()
    assert actions.get_by_text("Réserver des salles au calme").is_visible()
    assert actions.get_by_text("Plus aucune plainte sur le bruit").is_visible()
    screenshot(page, "quality-yearly-review")
    page.goto(reverse("compliance:quality"))
    screenshot(page, "quality-indicator-map")


def test_staff_read_a_session_s_evidence_and_download_its_pack(page, seed_course, screenshot, settings):
    from tests.compliance.quality_world import complete_session

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    world = complete_session(seed_course, client_feedback=False)
    world.staff.set_password(PASSWORD)
    world.staff.save()
    page.goto(reverse("admin:login"))
    page.fill("#id_username", world.staff.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")
    page.goto(reverse("compliance:session_quality", args=[world.course_session.pk]))
    page.get_by_role("button", name="Tout refuser").click()
    row = page.locator('[data-indicator="30"]')
    assert row.get_attribute("data-state") == "partial"
    assert row.get_by_text("Retour du client manquant : Coopérative des Communs").is_visible()
    assert page.get_by_text("Cheffe de projet numérique dans une collectivité").is_visible()
    screenshot(page, "quality-session-evidence")
    page.get_by_role("button", name="Constituer le dossier de preuves de cette session").click()
    assert page.get_by_role("link", name="Télécharger le ZIP").is_visible()
    screenshot(page, "quality-evidence-pack")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le ZIP").click()
    assert download.value.suggested_filename.endswith(".zip")
