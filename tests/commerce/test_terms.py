"""Terms of sale and internal rules: versions, immutability, public pages, acceptance per booking."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from academy.commerce import terms
from academy.commerce.models import TermsAcceptance, TermsDocument
from academy.core.models import AuditLogEntry
from tests.enrolment.helpers import enrol_people, open_session, trainee

from .factories import TermsDocumentFactory, published_terms

pytestmark = pytest.mark.django_db

RULES = TermsDocument.Kind.INTERNAL_RULES
TERMS = TermsDocument.Kind.TERMS_OF_SALE
BUNDLED = Path(__file__).resolve().parents[2] / "catalogue" / "terms"


def test_publishing_a_draft_freezes_it_and_writes_the_audit_event():
    document = TermsDocumentFactory(version=1)
    terms.publish(document)
    document.refresh_from_db()
    assert document.is_published
    entry = AuditLogEntry.objects.get(event="terms.published")
    assert entry.data["version"] == 1 and entry.data["kind"] == TERMS


def test_a_published_version_refuses_any_change_of_its_text():
    document = published_terms(version=1)
    document.body = "Autre texte"
    with pytest.raises(
        ValidationError, match="La version 1 est publiée et ne peut plus changer : créez une nouvelle version"
    ):
        document.save()
    document.refresh_from_db()
    assert "toute" in document.body


def test_a_published_version_cannot_be_deleted():
    document = published_terms(version=1)
    with pytest.raises(ValidationError, match="La version 1 est publiée et ne peut pas être supprimée"):
        document.delete()
    assert TermsDocument.objects.filter(pk=document.pk).exists()


def test_publishing_twice_or_an_empty_text_is_refused_with_a_message():
    document = published_terms(version=1)
    with pytest.raises(ValidationError, match="La version 1 est déjà publiée"):
        terms.publish(document)
    empty = TermsDocumentFactory(version=2, body="  ")
    with pytest.raises(ValidationError, match="Le texte est vide : rédigez-le avant de publier"):
        terms.publish(empty)


def test_a_new_version_is_a_draft_copy_with_the_next_number():
    document = published_terms(version=3)
    draft = terms.new_version(document)
    assert (draft.version, draft.is_published, draft.body) == (4, False, document.body)


def test_the_version_in_force_is_the_highest_published_one_already_effective():
    published_terms(version=1, effective_date=datetime.date(2026, 1, 1))
    second = published_terms(version=2, effective_date=datetime.date(2026, 6, 1))
    published_terms(version=3, effective_date=datetime.date(2099, 1, 1))
    TermsDocumentFactory(version=4, effective_date=datetime.date(2026, 1, 1))  # a draft never counts
    assert terms.current(TERMS, on=datetime.date(2026, 7, 1)) == second
    assert terms.current(TERMS, on=datetime.date(2026, 2, 1)).version == 1
    assert terms.current(RULES, on=datetime.date(2026, 7, 1)) is None


def test_the_public_page_renders_the_version_in_force_as_sanitised_markdown(client):
    published_terms(version=1, body="### Objet\n\n<script>alert(1)</script> **gras** [x](javascript:alert(1))")
    html = client.get(reverse("commerce:terms_of_sale")).content.decode()
    assert "<strong>gras</strong>" in html
    assert "<script>alert" not in html and 'href="javascript' not in html
    assert "<h3>Objet</h3>" in html
    assert "Version 1" in html


def test_the_public_page_says_when_no_version_is_published(client):
    TermsDocumentFactory(kind=RULES, version=1)  # a draft is not shown
    html = client.get(reverse("commerce:internal_rules")).content.decode()
    assert "Aucune version n’est publiée pour le moment" in html


def test_an_old_version_keeps_its_page_and_points_to_the_version_in_force(client):
    published_terms(version=1, body="Ancien texte")
    published_terms(version=2, body="Nouveau texte")
    html = client.get(reverse("commerce:terms_of_sale_version", kwargs={"version": 1})).content.decode()
    assert "Ancien texte" in html and "plus en vigueur" in html


def test_a_draft_or_unknown_version_page_answers_404(client):
    TermsDocumentFactory(version=1)
    assert client.get(reverse("commerce:terms_of_sale_version", kwargs={"version": 1})).status_code == 404
    assert client.get(reverse("commerce:terms_of_sale_version", kwargs={"version": 9})).status_code == 404


def test_the_english_page_is_in_english(client):
    html = client.get("/en" + reverse("commerce:internal_rules")).content.decode()
    assert "No version is published yet" in html


def test_the_footer_and_the_enrolment_form_link_to_the_terms_and_the_internal_rules(client):
    session = open_session()
    html = client.get(reverse("enrolment:enrol", kwargs={"pk": session.pk})).content.decode()
    assert html.count('href="%s"' % reverse("commerce:terms_of_sale")) == 2
    assert html.count('href="%s"' % reverse("commerce:internal_rules")) == 2


def test_each_booking_keeps_the_versions_in_force_when_it_was_made():
    cgv = published_terms(version=1)
    rules = published_terms(kind=RULES, version=1)
    booking = enrol_people(open_session(), trainee(1))
    acceptance = TermsAcceptance.objects.get(booking=booking)
    assert (acceptance.terms_of_sale, acceptance.internal_rules) == (cgv, rules)
    assert acceptance.accepted_at == booking.terms_accepted_at
    published_terms(version=2)
    assert terms.accepted_terms(booking).terms_of_sale == cgv


def test_a_booking_made_before_any_publication_records_no_version():
    booking = enrol_people(open_session(), trainee(1))
    acceptance = terms.accepted_terms(booking)
    assert acceptance.terms_of_sale is None and acceptance.internal_rules is None


def test_a_booking_made_through_the_form_records_its_terms(client):
    from tests.enrolment.test_views import ZOE, form_data

    cgv = published_terms(version=1)
    session = open_session()
    response = client.post(reverse("enrolment:enrol", kwargs={"pk": session.pk}), form_data(ZOE))
    assert response.status_code == 302
    assert TermsAcceptance.objects.get().terms_of_sale == cgv


def test_the_bundled_files_import_as_published_versions_and_again_unchanged():
    call_command("import_terms", str(BUNDLED))
    assert terms.current(TERMS, on=datetime.date(2026, 6, 1)).title == "Conditions générales de vente"
    assert "L6352-3" in terms.current(RULES, on=datetime.date(2026, 6, 1)).body
    results = terms.import_terms_files(BUNDLED)
    assert [row.action for row in results] == ["unchanged", "unchanged"]


def test_a_file_changing_a_published_version_is_refused_and_nothing_is_imported(tmp_path):
    published_terms(kind=RULES, version=1, body="Texte publié")
    (tmp_path / "terms-of-sale.md").write_text((BUNDLED / "terms-of-sale.md").read_text(), encoding="utf-8")
    (tmp_path / "internal-rules.md").write_text(
        "---\nversion: 1\ntitle: Règlement\neffective_date: 2026-01-01\n---\nAutre texte\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="internal-rules.md: version 1 exists with another text"):
        call_command("import_terms", str(tmp_path))
    assert not TermsDocument.objects.filter(kind=TERMS).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("pas de front matter", "missing the front matter"),
        ("---\nversion: zero\ntitle: T\neffective_date: 2026-01-01\n---\nTexte", "version must be a whole number"),
        ("---\nversion: 1\ntitle: T\neffective_date: demain\n---\nTexte", "effective_date must be a date"),
        ("---\nversion: 1\ntitle: ''\neffective_date: 2026-01-01\n---\nTexte", "title is missing"),
        ("---\nversion: 1\ntitle: T\neffective_date: 2026-01-01\n---\n  \n", "the text is empty"),
        ("---\nversion: [1\n---\nTexte", "the front matter is not valid YAML \\(line 2\\)"),
    ],
)
def test_a_malformed_terms_file_is_refused_naming_the_file_and_the_fault(tmp_path, content, message):
    (tmp_path / "terms-of-sale.md").write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match="terms-of-sale.md: %s" % message):
        call_command("import_terms", str(tmp_path))
    assert not TermsDocument.objects.exists()


def test_the_admin_numbers_a_new_version_and_freezes_a_published_one(admin_client):
    response = admin_client.post(
        reverse("admin:commerce_termsdocument_add"),
        {"kind": RULES, "title": "Règlement", "body": "Texte", "effective_date": "2026-01-01"},
    )
    assert response.status_code == 302
    document = TermsDocument.objects.get(kind=RULES)
    assert document.version == 1
    terms.publish(document)
    page = admin_client.get(reverse("admin:commerce_termsdocument_change", args=[document.pk])).content.decode()
    assert 'name="body"' not in page
