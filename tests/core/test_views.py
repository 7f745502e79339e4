"""Core pages: the staff outbox and robots.txt."""

from __future__ import annotations

from django.urls import reverse

from academy.core.services import queue_email


def test_outbox_lists_every_queued_email_with_its_content_for_staff(client, admin_user, db):
    queue_email(to=["zoe@exemple.fr"], subject="Votre demande", body_text="Bonjour Zoë Ñúñez-Łukasiewicz")
    client.force_login(admin_user)
    response = client.get(reverse("core:outbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre demande" in html and "zoe@exemple.fr" in html and "Bonjour Zoë Ñúñez-Łukasiewicz" in html


def test_outbox_shows_one_email_in_full(client, admin_user, db):
    email = queue_email(to=["a@b.fr"], subject="Objet", body_text="<b>pas de HTML</b>")
    client.force_login(admin_user)
    html = client.get(reverse("core:outbox_email", args=[email.pk])).content.decode()
    assert "&lt;b&gt;pas de HTML&lt;/b&gt;" in html


def test_outbox_is_refused_to_the_public(client, db):
    response = client.get(reverse("core:outbox"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_outbox_is_refused_to_a_user_who_is_not_staff(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("trainee", password="x" * 16))
    assert client.get(reverse("core:outbox")).status_code == 302
