"""Accent-insensitive search and Markdown stored as sanitised HTML, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from academy.catalog.models import Course, LearningObjective, ProgrammeItem
from academy.core.text import search_key
from tests.factories.catalog import CourseFactory, DomainFactory, ProgrammeSectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Read the listing's context: every request is rendered."""
    settings.ACADEMY_PAGE_CACHE_ENABLED = False


def _codes(client, words: str) -> set[str]:
    response = client.get("/", {"q": words})
    assert response.status_code == 200
    return {course.code for course, _facts in response.context["rows"]}


@pytest.fixture
def accented_courses(seed_course):
    CourseFactory(code="WIKI", title="Contribuer à Wikipédia", description="Les règles de l’encyclopédie.")
    CourseFactory(code="OEUV", title="Mise en œuvre", description="Un cours sans accent à chercher.")
    CourseFactory(code="PLAIN", title="Tableur", description="Formules et tableaux croisés dynamiques.")


def test_search_finds_accented_words_from_plain_ones(client, accented_courses):
    assert "COMNUM" in _codes(client, "numerique")
    assert "WIKI" in _codes(client, "wikipedia") and "PLAIN" not in _codes(client, "wikipedia")
    assert _codes(client, "WIKIPÉDIA contribuer") == {"WIKI"}
    assert _codes(client, "oeuvre") == {"OEUV"}
    assert _codes(client, "croises dynamiques") == {"PLAIN"}


def test_search_keeps_every_word_and_matches_the_domain_name(client, accented_courses):
    assert _codes(client, "numerique introuvable") == set()
    domain = Course.objects.get(code="PLAIN").domain
    domain.name = "Bureautique avancée"
    domain.save()
    assert "PLAIN" in _codes(client, "bureautique avancee")


def test_hostile_search_words_are_plain_text(client, accented_courses):
    for words in ["%", "_", "' OR 1=1 --", "\\", "a" * 500, "\x00"]:
        assert client.get("/", {"q": words}).status_code in (200, 400)


def test_search_key_folds_accents_ligatures_and_case():
    assert search_key("  Wikipédia\tŒuvre  NUMÉRIQUE ß ") == "wikipedia oeuvre numerique ss"
    assert search_key(None) == ""


def test_markdown_is_stored_sanitised_when_saved():
    course = CourseFactory(description="**Gras** <script>alert(1)</script> [lien](javascript:alert(1))")
    stored = Course.objects.get(pk=course.pk).rendered_html["description"]
    assert "<strong>Gras</strong>" in stored
    assert "<script" not in stored and 'href="javascript' not in stored
    objective = LearningObjective.objects.create(course=course, text="Savoir *lire*")
    assert LearningObjective.objects.get(pk=objective.pk).text_html.strip() == "<p>Savoir <em>lire</em></p>"
    item = ProgrammeItem.objects.create(section=ProgrammeSectionFactory(course=course), text="- un\n- deux")
    assert "<li>deux</li>" in ProgrammeItem.objects.get(pk=item.pk).text_html


def test_a_partial_save_keeps_the_stored_text_in_step():
    course = CourseFactory(title="Avant")
    course.title = "Après édition"
    course.description = "Nouvelle *description*"
    course.save(update_fields=["title", "description"])
    stored = Course.objects.get(pk=course.pk)
    assert "après edition" not in stored.search_text and "apres edition" in stored.search_text
    assert "<em>description</em>" in stored.rendered_html["description"]


def test_the_course_page_shows_the_stored_html(client, seed_course):
    Course.objects.filter(pk=seed_course.pk).update(
        rendered_html={**seed_course.rendered_html, "description": "<p>Texte enregistré</p>"}
    )
    assert "Texte enregistré" in client.get(seed_course.get_absolute_url()).content.decode()


def test_a_domain_rename_refreshes_its_courses_search_text():
    domain = DomainFactory(name="Ancien")
    course = CourseFactory(domain=domain)
    domain.name = "Éthique"
    domain.save()
    assert "ethique" in Course.objects.get(pk=course.pk).search_text
