"""AuditedAdminMixin: reads and changes of personal data in the back office are logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from academy.core.models import AuditLogEntry
from academy.privacy.models import ClientContact
from tests.factories.core import ClientOrganisationFactory
from tests.factories.privacy import UserFactory, client_contact_user, staff_admin

pytestmark = pytest.mark.django_db


def test_viewing_a_list_and_an_object_is_logged_with_the_actor(client):
    admin = staff_admin(username="dpo")
    contact = ClientContact.objects.get(user=client_contact_user())
    client.force_login(admin)
    client.get(reverse("admin:privacy_clientcontact_changelist"))
    client.get(reverse("admin:privacy_clientcontact_change", args=[contact.pk]))
    entries = list(AuditLogEntry.objects.filter(object_type="privacy.clientcontact").order_by("at", "pk"))
    assert [(e.action, e.object_id, e.actor_label) for e in entries] == [
        ("view", "", "dpo"),
        ("view", str(contact.pk), "dpo"),
    ]


def test_a_change_is_logged_with_the_changed_fields_but_not_their_values(client):
    admin = staff_admin()
    contact = ClientContact.objects.get(user=client_contact_user())
    new_organisation = ClientOrganisationFactory(name="Nouvelle Société Secrète")
    client.force_login(admin)
    response = client.post(
        reverse("admin:privacy_clientcontact_change", args=[contact.pk]),
        {"user": contact.user_id, "client_organisation": new_organisation.pk},
    )
    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(action="change")
    assert entry.summary == "Changed fields: client_organisation"
    assert "Secrète" not in entry.summary


def test_a_deletion_is_logged(client):
    admin = staff_admin()
    contact = ClientContact.objects.get(user=client_contact_user())
    client.force_login(admin)
    client.post(reverse("admin:privacy_clientcontact_delete", args=[contact.pk]), {"post": "yes"})
    assert AuditLogEntry.objects.filter(action="delete", object_id=str(contact.pk)).exists()


def test_a_planner_cannot_manage_client_contacts(client):
    client.force_login(UserFactory(is_staff=True, role="staff_planner"))
    assert client.get(reverse("admin:privacy_clientcontact_changelist")).status_code == 403
