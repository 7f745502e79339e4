"""The LHEO 2.3 offer: the seed course with two sessions validates; export → import → export."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xmlschema
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from lxml import etree

from academy.catalog.coursefiles import CatalogueFileError
from academy.catalog.models import Course
from academy.compliance.lheo.export import offer_xml
from academy.compliance.lheo.importer import import_lheo
from academy.core.models import TrainingOrganisation
from tests.english_messages import _english_messages  # noqa: F401 (autouse fixture)
from tests.factories.scheduling import CourseSessionFactory, add_day

pytestmark = pytest.mark.django_db

#: The XSD shipped with the product (a copy of the published LHEO 2.3 schema).
XSD = Path(__file__).resolve().parents[2] / "academy" / "compliance" / "lheo" / "lheo-2.3.xsd"
NS = {"l": "http://lheo.gouv.fr/2.3"}


@pytest.fixture
def offer(seed_course):
    TrainingOrganisation.objects.update(
        legal_name="OCTO Technology SAS",
        siret="41847285600046",
        declaration_number="11755975275",
        address="34, avenue de l'Opéra\n75002 Paris",
        email="academy@octo.exemple",
        phone="01 70 38 00 00",
    )
    Course.objects.filter(pk=seed_course.pk).update(nsf_code="326", general_objective="other")
    today = datetime.date.today()
    first = CourseSessionFactory(course=seed_course, price_excl_vat="950.00")
    add_day(first, today + datetime.timedelta(days=30))
    second = CourseSessionFactory(
        course=seed_course, venue_address="", remote_url="https://visio.exemple/comnum", price_excl_vat="800.00"
    )
    add_day(second, today + datetime.timedelta(days=60))
    return seed_course, first, second


def test_the_seed_course_with_two_sessions_validates_against_the_xsd(offer):
    course, first, second = offer
    document = offer_xml()
    schema = xmlschema.XMLSchema(str(XSD))
    schema.validate(document.decode("utf-8"))

    root = etree.fromstring(document)
    formation = root.find("l:offres/l:formation", NS)
    assert formation.get("numero") == "COMNUM"
    assert formation.findtext("l:intitule-formation", namespaces=NS) == "Les communs numériques"
    assert formation.findtext("l:domaine-formation/l:code-NSF", namespaces=NS) == "326"
    assert "Découvrir le concept des « communs »" in formation.findtext("l:objectif-formation", namespaces=NS)
    actions = formation.findall("l:action", NS)
    assert [a.findtext("l:session/l:periode/l:debut", namespaces=NS) for a in actions] == [
        s.starts_at.astimezone(s.tzinfo).strftime("%Y%m%d") for s in (first, second)
    ]
    assert [a.findtext("l:modalites-enseignement", namespaces=NS) for a in actions] == ["0", "2"]
    assert [a.findtext("l:prix-total-TTC", namespaces=NS) for a in actions] == ["1140.00", "960.00"]
    assert actions[0].findtext("l:lieu-de-formation/l:coordonnees/l:adresse/l:codepostal", namespaces=NS) == "75002"
    assert formation.findtext("l:organisme-formation-responsable/l:numero-activite", namespaces=NS) == "11755975275"


def test_export_import_export_is_identical(offer):
    course, _first, _second = offer
    before = offer_xml()
    # Staff edits since the export are replaced by what the file says.
    Course.objects.filter(pk=course.pk).update(title="Titre modifié", nsf_code="100")
    course.objectives.all().delete()
    course.sections.first().items.all().delete()
    report = import_lheo(before, path="offre.xml")
    assert [(row["code"], row["action"]) for row in report.courses] == [("COMNUM", "updated")]
    assert offer_xml() == before


def test_the_public_url_and_the_command_serve_the_same_valid_offer(offer, client, tmp_path):
    response = client.get(reverse("compliance:lheo_offer"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xmlschema.XMLSchema(str(XSD)).validate(response.content.decode("utf-8"))
    output = tmp_path / "offre.xml"
    call_command("export_lheo", output=str(output))
    assert output.read_bytes().replace(b"http://127.0.0.1:8000", b"") == response.content.replace(
        b"http://testserver", b""
    )


def test_an_invalid_file_is_refused_with_the_xsd_message_line_and_element(offer):
    document = offer_xml().decode("utf-8")
    broken = document.replace(
        "<intitule-formation>Les communs numériques</intitule-formation>", "<intitule-formation/>"
    )
    line = broken.splitlines().index(next(text for text in broken.splitlines() if "<intitule-formation/>" in text)) + 1
    with pytest.raises(CatalogueFileError) as caught:
        import_lheo(broken.encode("utf-8"), path="offre.xml")
    error = caught.value
    assert error.line == line
    assert "intitule-formation" in error.field
    assert "does not validate against LHEO 2.3" in error.reason
    assert "length" in error.reason


def test_hostile_xml_is_refused_without_expanding_entities(offer):
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>&b;</offres></lheo>"""
    with pytest.raises(CatalogueFileError, match="validate|XML"):
        import_lheo(bomb, path="bomb.xml")
    with pytest.raises(CatalogueFileError, match="not well-formed"):
        import_lheo(b"<lheo", path="cut.xml")


def test_a_foreign_formation_is_imported_as_a_draft(offer):
    document = offer_xml().decode("utf-8")
    start = document.index('<extras info="academy">')
    end = document.index("</extras>", start) + len("</extras>")
    foreign = (document[:start] + document[end:]).replace('numero="COMNUM"', 'numero="CARIF42"', 1)
    import_lheo(foreign.encode("utf-8"), path="carif.xml")
    imported = Course.objects.get(code="CARIF42")
    assert imported.status == Course.Status.DRAFT
    assert imported.title == "Les communs numériques"
    assert imported.nsf_code == "326"
    assert imported.objectives.count() == 4


def test_without_the_organisations_identity_the_offer_says_what_to_complete(seed_course, client):
    response = client.get(reverse("compliance:lheo_offer"))
    assert response.status_code == 503
    assert "SIRET" in response.content.decode()


def test_without_the_organisations_identity_the_offer_says_what_to_complete_in_french(seed_course, client):
    with translation.override("fr"):
        url = reverse("compliance:lheo_offer")
    response = client.get(url)
    assert response.status_code == 503
    text = response.content.decode()
    assert "Complétez la fiche de l’organisme de formation" in text and "SIRET (14 chiffres)" in text


def test_staff_space_shows_why_the_lheo_offer_cannot_be_produced(seed_course, client):
    from tests.factories.privacy import staff_planner

    client.force_login(staff_planner())
    with translation.override("fr"):
        url = reverse("accounts:home")
    html = client.get(url).content.decode()
    assert "data-lheo-problem" in html and "SIRET (14 chiffres)" in html


def test_staff_space_shows_no_lheo_reason_once_the_offer_can_be_produced(offer, client):
    from tests.factories.privacy import staff_planner

    client.force_login(staff_planner())
    assert "data-lheo-problem" not in client.get(reverse("accounts:home")).content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_the_offer_makes_a_bounded_number_of_queries(offer, client, django_assert_max_num_queries, count):
    from tests.factories.catalog import CourseFactory

    for _ in range(count):
        course = CourseFactory(status=Course.Status.PUBLISHED)
        add_day(CourseSessionFactory(course=course), datetime.date.today() + datetime.timedelta(days=10))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("compliance:lheo_offer"))
    assert response.status_code == 200


def test_staff_import_a_file_from_the_page_and_see_the_xsd_error_of_a_bad_one(offer, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.privacy import staff_planner

    client.force_login(staff_planner())
    good = offer_xml()
    response = client.post(
        reverse("compliance:lheo_import"), {"file": SimpleUploadedFile("offre.xml", good, "application/xml")}
    )
    assert response.status_code == 200
    assert "COMNUM" in response.content.decode()
    bad = good.replace(b"<certifiante>0</certifiante>", b"<certifiante>oui</certifiante>")
    response = client.post(
        reverse("compliance:lheo_import"), {"file": SimpleUploadedFile("offre.xml", bad, "application/xml")}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "offre.xml, line" in content and "certifiante" in content
    assert client.post(reverse("compliance:lheo_import"), {}).status_code == 400


def test_a_course_text_that_cannot_be_written_is_named_not_a_server_error(offer, client):
    course, _first, _second = offer
    Course.objects.filter(pk=course.pk).update(description="Texte\n## audience\nsuite")
    response = client.get(reverse("compliance:lheo_offer"))
    assert response.status_code == 503
    assert "COMNUM" in response.content.decode()


def test_the_offer_is_served_from_the_page_cache_and_rebuilt_after_a_course_change(
    offer, client, django_capture_on_commit_callbacks
):
    url = reverse("compliance:lheo_offer")
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    course = offer[0]
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Les communs numériques, édition 2027"
        course.save()
    again = client.get(url)
    assert again["X-Page-Cache"] == "miss"
    assert "Les communs numériques, édition 2027" in again.content.decode("utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(again.content.decode("utf-8"))
