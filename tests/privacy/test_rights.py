"""A person's rights: export everything held about them, erase them (GDPR art. 15, 17, 20)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from academy.catalog.models import Lead
from academy.core.models import AuditLogEntry, OutboundEmail
from academy.core.services import record_audit
from academy.privacy.registry import PersonalDataProvider
from academy.privacy.services import PrivacyError, erase_person, export_person, person_reference
from tests.accounts import role_matrix as rm
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.privacy import LeadFactory, OutboundEmailFactory, staff_admin, trainee_user

pytestmark = pytest.mark.django_db

EMAIL = "zoe.nunez@exemple.fr"
FIRST = "Zoë"
LAST = "Ñúñez-Łukasiewicz"
NEEDLES = [EMAIL, LAST, "%s %s" % (FIRST, LAST)]


def has_provider(app_label: str) -> bool:
    from academy.privacy.registry import providers

    return any(p.app_label == app_label for p in providers())


def find_in_database(needles: list[str]) -> list[str]:
    """Scan every text value of every table; return ``table.column`` where a needle appears."""
    found = []
    lowered = [n.lower() for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute("SELECT * FROM %s" % connection.ops.quote_name(table))
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=False):
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "ignore")
                    if isinstance(value, str) and value[:1] in "[{" and "\\u" in value:
                        value = _unescaped_json(value)  # SQLite stores JSON with non-ASCII escaped
                    if not isinstance(value, str):
                        value = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else None
                    if value and any(n in value.lower() for n in lowered):
                        found.append("%s.%s" % (table, column))
    return sorted(set(found))


def _unescaped_json(value: str) -> str:
    try:
        return json.dumps(json.loads(value), ensure_ascii=False)
    except ValueError:
        return value


def find_in_files(needles: list[str]) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    found = []
    for path in root.rglob("*") if root.exists() else []:
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "ignore").lower()
            if any(n.lower() in text for n in needles):
                found.append(str(path.relative_to(root)))
    return found


@pytest.fixture
def person(db):
    """The person to erase: a user account, a lead, e-mails to them and about them, a log entry."""
    user = trainee_user(username="zoe", email=EMAIL, first_name=FIRST, last_name=LAST)
    LeadFactory(email=" Zoe.Nunez@Exemple.FR ", first_name=FIRST, last_name=LAST, message="Appelez-moi")
    OutboundEmailFactory(
        to=[EMAIL],
        subject="Bienvenue %s %s" % (FIRST, LAST),
        body_text="Bonjour %s" % FIRST,
        attachments=[{"filename": "convocation.pdf", "mimetype": "application/pdf", "content_b64": "JVBE"}],
    )
    OutboundEmailFactory(
        to=["contact@client.exemple"],
        subject="Inscriptions",
        body_text="Inscrits : %s %s <%s>, Ada Lovelace" % (FIRST, LAST, EMAIL),
        body_html="<p>%s %s</p>" % (FIRST, LAST),
    )
    record_audit(action="view", object_type="catalog.lead", object_id="1", summary="Lead of %s %s" % (FIRST, LAST))
    OutboundEmailFactory(to=["someone@else.exemple"], subject="Autre", body_text="Rien à voir")
    return user


def test_the_export_gathers_everything_held_about_the_person(person):
    data = export_person(email=" ZOE.NUNEZ@exemple.fr")
    assert data["catalog"]["leads"][0]["last_name"] == LAST
    assert data["core"]["emails"][0]["subject"] == "Bienvenue %s %s" % (FIRST, LAST)
    assert data["privacy"]["accounts"][0]["email"] == EMAIL
    assert json.dumps(data)  # JSON-serialisable


def test_the_export_is_recorded_without_the_address(person):
    export_person(email=EMAIL)
    entry = AuditLogEntry.objects.get(action="export")
    assert entry.object_id == person_reference(EMAIL)
    assert EMAIL not in entry.summary


def test_an_empty_address_is_refused():
    with pytest.raises(PrivacyError, match="e-mail address is needed"):
        erase_person(email="  ")


def test_erasure_removes_name_and_address_from_every_table_this_app_knows(person):
    erase_person(email=EMAIL)
    # Enrolment data belongs to the enrolment app's provider; it is covered by the full test below.
    leftovers = [f for f in find_in_database(NEEDLES) if not f.startswith("enrolment_")]
    assert leftovers == []


def test_erasure_keeps_the_counts_of_leads_and_messages(person):
    before = (Lead.objects.count(), OutboundEmail.objects.count())
    erase_person(email=EMAIL)
    assert (Lead.objects.count(), OutboundEmail.objects.count()) == before
    assert OutboundEmail.objects.get(subject="Autre").body_text == "Rien à voir"
    assert "Ada Lovelace" in OutboundEmail.objects.get(subject="Inscriptions").body_text


def test_erasure_deactivates_the_account_and_is_recorded_pseudonymously(person):
    erase_person(email=EMAIL, by=staff_admin())
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password() and person.email == ""
    entry = AuditLogEntry.objects.get(action="erase")
    assert entry.object_id == person_reference(EMAIL) and EMAIL not in entry.summary


def test_erasure_is_atomic_when_a_provider_fails(person, monkeypatch):
    from academy.privacy import services

    def broken(email):
        raise RuntimeError("disk full")

    real = services.providers()
    monkeypatch.setattr(
        services, "providers", lambda: real + [PersonalDataProvider("broken", export=dict, erase=broken)]
    )
    with pytest.raises(RuntimeError, match="disk full"):
        erase_person(email=EMAIL)
    assert Lead.objects.filter(last_name=LAST).exists()
    assert not AuditLogEntry.objects.filter(action="erase").exists()


@pytest.mark.xfail(
    not has_provider("enrolment"),
    strict=True,
    reason="the enrolment app has no personal_data provider yet: its rows keep the trainee's name",
)
def test_an_erased_trainee_is_found_nowhere_in_the_database_or_stored_files(person):
    """A trainee with an enrolment, e-mails, a lead and an account is erased everywhere."""
    EnrolmentFactory(email=EMAIL, first_name=FIRST, last_name=LAST)
    erase_person(email=EMAIL)
    assert find_in_database(NEEDLES) == []
    assert find_in_files(NEEDLES) == []


def test_every_page_still_loads_after_erasing_a_trainee(db):
    world = rm.build_world()
    erase_person(email=world.enrolment.email)
    matrix = rm.full_matrix()
    client = Client()
    client.force_login(world.users[rm.STAFF_ADMIN])
    broken = []
    for key, route, name in rm.walk_patterns():
        rule = rm.rule_for(matrix, key)
        # Generic admin pages (add forms, lists) do not show the person; product pages do.
        if rule is None or rule.method != "GET" or key not in matrix:
            continue
        response = client.get(rm.url_for(matrix, key, route, name, world))
        if response.status_code >= 500:
            broken.append("%s %s" % (key, response.status_code))
    assert broken == []


def test_staff_find_export_and_erase_a_person_through_the_pages(person):
    client = Client()
    client.force_login(staff_admin())
    response = client.post(reverse("privacy:people"), {"email": EMAIL})
    person_url = response["Location"]
    assert EMAIL not in person_url  # the address travels signed, not in clear
    page = client.get(person_url).content.decode()
    assert LAST in page and "Télécharger en JSON" in page
    download = client.get(person_url + "json/")
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["data"]["catalog"]["leads"][0]["email"].strip().lower() == EMAIL
    refused = client.post(person_url + "erase/", {"confirm_email": "other@exemple.fr"})
    assert refused.status_code == 400 and "Ce n’est pas l’adresse" in refused.content.decode()
    done = client.post(person_url + "erase/", {"confirm_email": EMAIL.upper()})
    assert done.status_code == 200 and "Personne effacée" in done.content.decode()
    assert not Lead.objects.filter(last_name=LAST).exists()


def test_a_tampered_person_link_is_not_found(client):
    client.force_login(staff_admin())
    assert client.get(reverse("privacy:person", kwargs={"token": "forged"})).status_code == 404


def test_every_model_holding_an_email_field_is_covered_by_a_provider():
    """A new model with an e-mail field must come with its app's personal-data provider."""
    from django.db.models import EmailField

    from academy.privacy.registry import providers

    covered = {p.app_label for p in providers()} | {"auth"}
    missing = sorted(
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label not in covered
        and model._meta.app_config.name.startswith("academy.")
        and any(isinstance(f, EmailField) for f in model._meta.fields)
        and model._meta.label != "core.TrainingOrganisation"
    )
    known_pending = {"scheduling.Trainer", "enrolment.Booking", "enrolment.Enrolment"}
    assert set(missing) <= known_pending, missing
