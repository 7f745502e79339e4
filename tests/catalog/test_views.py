"""Public pages: listing, course page, programme PDF, JSON-LD, sitemap, robots, request forms."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pyld import jsonld
from pypdf import PdfReader

from academy.catalog.models import Course, Lead
from academy.core.models import OutboundEmail
from tests.conftest import SEED_OBJECTIVES
from tests.factories.catalog import (
    CourseFactory,
    DomainFactory,
    LearningObjectiveFactory,
    ProgrammeItemFactory,
    ProgrammeSectionFactory,
)
from tests.factories.core import TrainingOrganisationFactory

SEED_URL = "/courses/COMNUM/"


class _Collector(HTMLParser):
    """Collect start tags with attributes, JSON-LD blocks and the text of one element by class."""

    def __init__(self, text_class: str = ""):
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.json_ld: list[str] = []
        self.text_class = text_class
        self.text: list[str] = []
        self._in_json = False
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self._in_json = True
            self.json_ld.append("")
        if self._depth:
            self._depth += 1
        elif self.text_class and self.text_class in (dict(attrs).get("class") or "").split():
            self._depth = 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data
        elif self._depth:
            self.text.append(data)


def _parse(html: str, text_class: str = "") -> _Collector:
    collector = _Collector(text_class)
    collector.feed(html)
    return collector


def _schema_org_loader(url, options=None):
    """Offline document loader: schema.org's context maps every term to https://schema.org/."""
    if url.rstrip("/") in {"https://schema.org", "http://schema.org"}:
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}
    raise ValueError("no network in tests: %s" % url)


def _many_courses(count: int):
    domain = DomainFactory()
    courses = CourseFactory.create_batch(count, domain=domain)
    for course in courses[:3]:
        LearningObjectiveFactory(course=course)
        ProgrammeItemFactory(section=ProgrammeSectionFactory(course=course))
    return courses


# ---- Course page -----------------------------------------------------------------------


def test_seed_course_page_shows_every_block_in_the_seeds_order(client, seed_course):
    html = client.get(SEED_URL).content.decode().split("<body", 1)[1]
    labels = [
        "Format :",
        "Stage pratique",
        "Niveau",
        "Fondamentaux",
        "Répartition du temps :",
        "40 % exposés",
        "40 % pratique",
        "20 % échanges",
        "La formation en détails",
        "Description",
        "Objectifs",
        "Public cible",
        "Prérequis",
        "Modalités pédagogiques",
        "Accessibilité",
        "Profil du formateur",
        "Modalités d'évaluation et de suivi",
        "Programme détaillé",
        "Informations pratiques",
        "Nos autres formations du domaine",
        'id="sessions-title">Sessions & Inscriptions',
        "Session partagée avec d'autres organisations",
        "Organiser une session dédiée à votre organisation",
        "Personnaliser cette formation",
    ]
    positions = [html.find(label) for label in labels]
    assert -1 not in positions, [label for label, pos in zip(labels, positions, strict=False) if pos == -1]
    assert positions == sorted(positions)


def test_seed_course_page_keeps_accents_lists_and_exercises(client, seed_course):
    html = client.get(SEED_URL).content.decode()
    for objective in SEED_OBJECTIVES:
        assert objective.replace("'", "&#x27;") in html or objective in html
    assert "<li>Equipe RH</li>" in html
    assert "<li>Code</li>" in html and "<li>Data</li>" in html
    assert "Mise en pratique :" in html
    assert "“Contribution à Wikipédia dans le bac à sable" in html
    assert "RAPPEL DES POINTS CLÉS ET CLÔTURE DE LA FORMATION" in html
    assert "Aucun prérequis" in html
    assert "7 h / 1 j" in html


def test_course_page_shows_the_empty_sessions_state_with_a_link_to_signal_a_need(client, seed_course):
    html = client.get(SEED_URL).content.decode()
    assert "Aucune session n'est programmée pour le moment." in html
    assert reverse("catalog:interest_signal", args=["COMNUM"]) in html
    assert reverse("catalog:quote_request", args=["COMNUM"]) in html
    assert reverse("catalog:customisation_request", args=["COMNUM"]) in html
    assert "Télécharger le programme" in html


def test_course_page_links_to_the_accessibility_referent(client, seed_course):
    from academy.core.models import TrainingOrganisation

    TrainingOrganisation.objects.update(
        accessibility_referent_name="Alex Dupont", accessibility_referent_email="referent@octo.exemple"
    )
    html = client.get(SEED_URL).content.decode()
    assert "Alex Dupont" in html
    assert 'href="mailto:referent@octo.exemple">Contacter nos référent·es' in html


def test_course_page_lists_other_published_courses_of_the_domain_only(client, seed_course):
    CourseFactory(code="DNOCO", title="Initiation aux outils no-code", domain=seed_course.domain)
    CourseFactory(code="HIDDEN", title="Brouillon caché", domain=seed_course.domain, status=Course.Status.DRAFT)
    html = client.get(SEED_URL).content.decode()
    assert "Initiation aux outils no-code" in html
    assert "Brouillon caché" not in html


def test_draft_course_page_is_not_found(client, db):
    CourseFactory(code="DRAFT1", status=Course.Status.DRAFT)
    assert client.get("/courses/DRAFT1/").status_code == 404


def test_course_page_is_in_english_under_en(client, seed_course):
    html = client.get("/en" + SEED_URL).content.decode()
    assert "Detailed programme" in html and "Practical exercise:" in html and "No prerequisite" in html


@pytest.mark.parametrize("count", [3, 300])
def test_course_page_makes_a_bounded_number_of_queries(db, client, django_assert_max_num_queries, count):
    TrainingOrganisationFactory()
    courses = _many_courses(count)
    with django_assert_max_num_queries(10):
        response = client.get(courses[0].get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 300])
def test_listing_makes_a_bounded_number_of_queries(db, client, django_assert_max_num_queries, count):
    TrainingOrganisationFactory()
    _many_courses(count)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 24)


# ---- FC-11 -----------------------------------------------------------------------------


def test_fc11_course_text_cannot_carry_script_on_the_public_page(client, db):
    TrainingOrganisationFactory()
    course = CourseFactory(
        code="FC11",
        description=(
            "[Programme](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n[a](JaVaScRiPt&#58;alert(1))\n\n"
            "**Très important** : [site](https://exemple.fr)\n\n- un\n- deux\n\n<script>alert(2)</script>"
        ),
    )
    html = client.get(course.get_absolute_url()).content.decode()
    parsed = _parse(html)
    urls = [
        value for _tag, attrs in parsed.tags for name, value in attrs if name in {"href", "src", "action", "formaction"}
    ]
    assert not [url for url in urls if "javascript" in (url or "").lower()]
    assert not [name for _tag, attrs in parsed.tags for name, _value in attrs if name.lower().startswith("on")]
    assert not [tag for tag, _attrs in parsed.tags if tag == "img"]
    assert [attrs for tag, attrs in parsed.tags if tag == "script"] == [[("type", "application/ld+json")]]
    assert "alert(2)" not in html.split("</head>")[1].replace("&lt;script&gt;alert(2)", "")
    assert "<strong>Très important</strong>" in html
    assert '<a href="https://exemple.fr" rel="noopener noreferrer">site</a>' in html
    assert "<li>un</li>" in html


# ---- JSON-LD, sitemap, robots ----------------------------------------------------------


def test_course_page_json_ld_is_a_schema_org_course_whose_name_and_description_match_the_page(client, seed_course):
    html = client.get(SEED_URL).content.decode()
    parsed = _parse(html, text_class="course-description")
    assert len(parsed.json_ld) == 1
    document = json.loads(parsed.json_ld[0])
    expanded = jsonld.expand(document, {"documentLoader": _schema_org_loader})
    assert expanded[0]["@type"] == ["https://schema.org/Course"]
    name = expanded[0]["https://schema.org/name"][0]["@value"]
    description = expanded[0]["https://schema.org/description"][0]["@value"]
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert name == h1 == "Les communs numériques"
    assert description == " ".join("".join(parsed.text).split())
    assert description.startswith("Tenant compte des impératifs d'indépendance")
    assert expanded[0]["https://schema.org/timeRequired"][0]["@value"] == "PT7H"
    assert expanded[0]["https://schema.org/provider"][0]["https://schema.org/name"][0]["@value"] == "OCTO Academy"


def test_json_ld_cannot_be_closed_by_course_text(client, db):
    TrainingOrganisationFactory()
    course = CourseFactory(code="ESC", title="</script><script>alert(1)</script>")
    html = client.get(course.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_every_published_course_page_and_no_draft(client, seed_course):
    CourseFactory(code="DRAFT1", status=Course.Status.DRAFT)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-courses.xml</loc>" in index
    assert "<loc>http://testserver/sitemap-pages.xml</loc>" in index
    xml = client.get("/sitemap-courses.xml").content.decode()
    assert "<loc>http://testserver/courses/COMNUM/</loc>" in xml
    assert "<loc>http://testserver/en/courses/COMNUM/</loc>" in xml
    assert "DRAFT1" not in xml


def test_sitemap_parts_list_other_public_pages_and_stay_under_50000_urls(client, seed_course):
    from academy.catalog import sitemaps

    pages = client.get("/sitemap-pages.xml").content.decode()
    for path in ["/", "/evaluation/indicators/", "/compliance/legal-notice/", "/privacy/", "/terms/"]:
        assert "<loc>http://testserver%s</loc>" % path in pages
    assert "<loc>http://testserver/en/evaluation/indicators/</loc>" in pages
    courses = client.get("/sitemap-courses.xml").content.decode()
    assert "<lastmod>" in courses
    assert sitemaps.CourseSitemap.limit == sitemaps.URLS_PER_PART < 50_000


def test_sitemap_is_paged_into_parts(client, seed_course, monkeypatch):
    from academy.catalog.sitemaps import CourseSitemap

    monkeypatch.setattr(CourseSitemap, "limit", 2)
    for n in range(4):
        CourseFactory(code="P%d" % n)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-courses.xml?p=5" in index  # five courses, in French and English, two URLs a part
    second = client.get("/sitemap-courses.xml?p=2").content.decode()
    assert second.count("<url>") == 2
    assert client.get("/sitemap-courses.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_back_office(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


# ---- Programme PDF ---------------------------------------------------------------------


def _pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_programme_pdf_holds_the_objectives_and_programme_sections(client, seed_course):
    response = client.get(reverse("catalog:programme_pdf", args=["COMNUM"]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="programme-COMNUM.pdf"' in response["Content-Disposition"]
    text = " ".join(_pdf_text(response).split())
    for objective in SEED_OBJECTIVES:
        assert objective in text
    for section in seed_course.sections.all():
        assert section.title in text


def test_fc05_every_name_prints_in_the_programme_pdf(client, db):
    TrainingOrganisationFactory(name="Nguyễn Thị Ánh Formation")
    course = CourseFactory(
        code="FC05",
        title="Sécurité électrique — habilitation B1V",
        trainer_profile="Zoë Ñúñez-Łukasiewicz et Nguyễn Thị Ánh",
        duration_hours=14,
        duration_days=2,
    )
    LearningObjectiveFactory(course=course, text="Zoë Ñúñez-Łukasiewicz")
    text = _pdf_text(client.get(reverse("catalog:programme_pdf", args=[course.code])))
    lines = [line.strip() for line in text.splitlines()]
    assert "Sécurité électrique — habilitation B1V" in lines
    assert "Zoë Ñúñez-Łukasiewicz" in lines
    assert "Zoë Ñúñez-Łukasiewicz et Nguyễn Thị Ánh" in lines
    assert "14 h / 2 j" in text
    assert "\ufffd" not in text and "■" not in text


# ---- Listing ---------------------------------------------------------------------------


def test_listing_filters_by_domain_level_and_words(client, db):
    TrainingOrganisationFactory()
    innovation = DomainFactory()
    data = DomainFactory(name="Data & IA", slug="data-ia")
    CourseFactory(code="A1", title="Les communs numériques", domain=innovation)
    CourseFactory(code="B1", title="Initiation aux données", domain=data, level=Course.Level.ADVANCED)
    CourseFactory(code="C1", title="Brouillon", domain=data, status=Course.Status.DRAFT)
    codes = lambda response: [c.code for c, _facts in response.context["rows"]]  # noqa: E731
    assert codes(client.get("/")) == ["B1", "A1"]
    assert codes(client.get("/?domain=data-ia")) == ["B1"]
    assert codes(client.get("/?level=fundamentals")) == ["A1"]
    assert codes(client.get("/?q=communs+numériques")) == ["A1"]
    assert codes(client.get("/?q=communs+données")) == []


# ---- Requests from the public ----------------------------------------------------------

QUOTE = {
    "organisation_name": "Société Générale d'Électricité",
    "first_name": "Zoë",
    "last_name": "Ñúñez-Łukasiewicz",
    "email": "zoe@exemple.fr",
    "trainee_count": "6",
    "wished_period": "Au printemps",
    "place": "Lyon",
    "message": "Session en français.",
}


def test_quote_request_is_stored_acknowledged_and_notified(client, seed_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:quote_request", args=["COMNUM"]), QUOTE)
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.kind, lead.course, lead.trainee_count, lead.place) == (Lead.Kind.QUOTE, seed_course, 6, "Lyon")
    assert OutboundEmail.objects.filter(category="lead_acknowledgement", to=["zoe@exemple.fr"]).exists()


def test_quote_request_without_organisation_shows_a_field_error_and_saves_nothing(client, seed_course):
    response = client.post(
        reverse("catalog:quote_request", args=["COMNUM"]), {**QUOTE, "organisation_name": "", "trainee_count": "0"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["organisation_name"] == ["Ce champ est obligatoire."]
    assert "trainee_count" in response.context["form"].errors
    assert not Lead.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize("name", ["customisation_request", "interest_signal"])
def test_course_requests_are_stored_with_their_kind(client, seed_course, name):
    values = {"first_name": "A", "last_name": "B", "email": "a@b.fr", "organisation_name": "Org", "message": "Adapter"}
    response = client.post(reverse("catalog:%s" % name, args=["COMNUM"]), values)
    assert response.status_code == 302
    assert Lead.objects.get().kind == {"customisation_request": "customisation", "interest_signal": "interest"}[name]


def test_contact_form_stores_a_contact_lead(client, seed_course):
    response = client.post(
        reverse("catalog:contact") + "?course=COMNUM&topic=accessibility",
        {"first_name": "A", "last_name": "B", "email": "a@b.fr", "message": "Fauteuil"},
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.kind, lead.course, lead.message) == (Lead.Kind.CONTACT, seed_course, "[Accessibilité] Fauteuil")


def test_honeypot_filled_in_saves_nothing_but_looks_accepted(client, seed_course):
    response = client.post(
        reverse("catalog:quote_request", args=["COMNUM"]), {**QUOTE, "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert not Lead.objects.exists() and not OutboundEmail.objects.exists()


def test_rate_limit_refuses_the_eleventh_request_from_one_address(client, seed_course):
    url = reverse("catalog:interest_signal", args=["COMNUM"])
    values = {"first_name": "A", "last_name": "B", "email": "a@b.fr"}
    for _ in range(10):
        assert client.post(url, values).status_code == 302
    response = client.post(url, values)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert Lead.objects.count() == 10


def test_the_sitemap_index_gives_each_part_the_latest_lastmod_of_its_courses(client, seed_course):
    import datetime

    CourseFactory(code="NEWER", content_updated_on=datetime.date(2031, 5, 4))
    CourseFactory(code="DRAFTX", status=Course.Status.DRAFT, content_updated_on=datetime.date(2032, 1, 1))
    index = client.get("/sitemap.xml").content.decode()
    part = index.split("sitemap-courses.xml")[1].split("</sitemap>")[0]
    assert "<lastmod>2031-05-04</lastmod>" in part


def test_a_sitemap_part_lists_the_same_urls_as_django_s_own_paging(client, seed_course, monkeypatch):
    from django.contrib.sitemaps import Sitemap

    from academy.catalog.sitemaps import CourseSitemap

    for n in range(5):
        CourseFactory(code="Q%d" % n)
    monkeypatch.setattr(CourseSitemap, "limit", 3)  # pages cut courses between their two languages
    ours = [client.get("/sitemap-courses.xml?p=%d" % p).content.decode() for p in (1, 2, 3, 4)]
    monkeypatch.setattr(CourseSitemap, "paginator", Sitemap.paginator)
    from django.core.cache import cache

    cache.clear()
    django = [client.get("/sitemap-courses.xml?p=%d" % p).content.decode() for p in (1, 2, 3, 4)]
    assert ours == django
    assert sum(page.count("<url>") for page in ours) == 12


@pytest.mark.parametrize("count", [3, 60])
def test_a_sitemap_part_makes_a_bounded_number_of_queries(client, seed_course, django_assert_max_num_queries, count):
    for n in range(count):
        CourseFactory(code="R%02d" % n)
    with django_assert_max_num_queries(3):
        assert client.get("/sitemap-courses.xml").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/sitemap.xml").status_code == 200
