"""The indicator map and the evidence pack of a complete session of the seed course."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from academy.compliance.models import EvidencePack
from academy.compliance.quality.indicators import GREEN, NOT_APPLICABLE, PARTIAL, session_map
from academy.compliance.quality.packs import pack_contents
from tests.english_messages import _english_messages  # noqa: E402, F401 (autouse fixture)

from .quality_world import TRAINEE_NAME, complete_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def states_by_number(course_session):
    return {state.indicator.number: state for state in session_map(course_session)}


def test_a_complete_session_has_every_applicable_indicator_green(seed_course):
    world = complete_session(seed_course)
    states = states_by_number(world.course_session)
    partial = {n: s.missing for n, s in states.items() if s.status == PARTIAL}
    assert partial == {}
    assert {n for n, s in states.items() if s.status == NOT_APPLICABLE} == {3, 7, 13, 14, 15, 16, 28, 29}
    assert states[27].status == GREEN  # the external trainer's subcontracting agreement is on file


def test_a_session_missing_its_client_feedback_shows_exactly_that_as_partial(seed_course):
    world = complete_session(seed_course, client_feedback=False)
    states = states_by_number(world.course_session)
    with translation.override("en"):
        assert states[30].status == PARTIAL
        assert states[30].missing == ["Client feedback missing: Coopérative des Communs"]
    assert [n for n, s in states.items() if s.status == PARTIAL] == [30]


def test_the_map_names_the_trainee_whose_needs_are_missing(seed_course):
    world = complete_session(seed_course)
    second = world.enrolments[1]
    second.work_context = second.expectations = ""
    second.save()
    state = states_by_number(world.course_session)[4]
    assert state.status == PARTIAL
    assert state.missing == ["Needs analysis missing for: Léon Martin"]


def test_the_evidence_pack_of_a_complete_session_downloads_and_every_file_opens(
    seed_course, django_capture_on_commit_callbacks
):
    world = complete_session(seed_course)
    client = Client()
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("compliance:pack_start"), {"session": world.course_session.pk})
    pack = EvidencePack.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("compliance:pack", args=[pack.pk])
    assert pack.status == EvidencePack.Status.DONE and pack.progress_pct == 100
    progress = client.get(reverse("compliance:pack", args=[pack.pk]))
    assert reverse("compliance:pack_download", args=[pack.pk]) in progress.content.decode()
    download = client.get(reverse("compliance:pack_download", args=[pack.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()

    index = archive.read("index.html").decode()
    applicable = [s.indicator.number for s in session_map(world.course_session) if s.status != NOT_APPLICABLE]
    assert index.count('data-indicator="') == len(applicable) == 24
    for number in applicable:
        assert 'data-indicator="%d"' % number in index
    for linked in ("needs.csv", "adaptations.csv", "positioning.csv", "absences.csv", "surveys.csv", "complaints.csv"):
        assert 'href="%s"' % linked in index

    pdfs = [name for name in names if name.endswith(".pdf") and not name.startswith("trainers/")]
    assert {"programme.pdf", "attendance-sheet.pdf"} <= set(pdfs)
    assert len([n for n in pdfs if n.startswith("certificates/")]) == 2
    assert len([n for n in pdfs if n.startswith("attestations/")]) == 2
    texts = {}
    for name in pdfs:
        reader = PdfReader(io.BytesIO(archive.read(name)))
        texts[name] = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert texts[name], name
    assert any(" ".join(TRAINEE_NAME) in text for name, text in texts.items() if name.startswith("attestations/"))

    tables = {}
    for name in [n for n in names if n.endswith(".csv")]:
        text = archive.read(name).decode("utf-8-sig")
        tables[name] = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert tables[name][0], name
    assert any("Cheffe de projet numérique" in cell for row in tables["needs.csv"] for cell in row)
    assert any("Supports envoyés 3 jours avant" in cell for row in tables["adaptations.csv"] for cell in row)
    assert [row[0] for row in tables["absences.csv"][1:]] == ["Léon Martin"]
    kinds = {row[0] for row in tables["surveys.csv"][1:]}
    # The pack is written in French, the language of the audit.
    assert kinds == {"Évaluation à chaud", "Questionnaire entreprise cliente", "Compte rendu de session du formateur"}
    assert tables["complaints.csv"][1][0] == world.complaint.reference
    assert tables["improvement-actions.csv"][1][0] == "Réserver une salle au calme"
    assert len(tables["indicators.csv"]) == 33


def test_building_the_same_session_twice_gives_the_same_files(seed_course):
    world = complete_session(seed_course)
    pack = EvidencePack.objects.create(course_session=world.course_session)
    first, when = pack_contents(pack)
    second, when_again = pack_contents(pack)
    assert when == when_again
    generated = [name for name, _c in first if name.endswith((".csv", ".html"))]
    assert dict(first)["index.html"] == dict(second)["index.html"]
    for name in generated:
        assert dict(first)[name] == dict(second)[name], name


def test_a_period_pack_gathers_its_sessions(seed_course, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from academy.compliance.quality.packs import start_evidence_pack

    world = complete_session(seed_course)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        pack = start_evidence_pack(period_start=today - datetime.timedelta(days=60), period_end=today, by=world.staff)
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.DONE
    with default_storage.open(pack.file.name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    folder = "sessions/COMNUM-%d/" % world.course_session.pk
    assert folder + "needs.csv" in archive.namelist()
    assert "watch.csv" in archive.namelist()


def test_the_period_map_names_the_session_missing_its_client_feedback(seed_course):

    from django.utils import timezone

    world = complete_session(seed_course, client_feedback=False)
    client = Client()
    client.force_login(world.staff)
    today = timezone.localdate()
    response = client.get(
        reverse("compliance:period_quality"),
        {
            "start": today.replace(day=1, month=1).isoformat() if today.month > 1 else "2020-01-01",
            "end": today.isoformat(),
        },
    )
    states = {state.indicator.number: state for state in response.context["states"]}
    assert states[30].status == PARTIAL
    assert states[30].missing == ["%s — Client feedback missing: Coopérative des Communs" % world.course_session]
    assert [n for n, s in states.items() if s.status == PARTIAL] == [30]


def test_a_period_without_sessions_says_so(seed_course):
    from tests.factories.privacy import staff_planner

    client = Client()
    client.force_login(staff_planner())
    response = client.get(reverse("compliance:period_quality"), {"start": "2020-01-01", "end": "2020-12-31"})
    states = {state.indicator.number: state for state in response.context["states"]}
    assert states[4].status == PARTIAL and states[4].missing == ["No session ended in the period."]


def _period_pack_archive(world, start, end, capture):
    from academy.compliance.quality.packs import start_evidence_pack

    with capture(execute=True):
        pack = start_evidence_pack(period_start=start, period_end=end, by=world.staff)
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.DONE
    with default_storage.open(pack.file.name, "rb") as handle:
        return pack, zipfile.ZipFile(io.BytesIO(handle.read()))


def _named_by_index(archive):
    import re

    table = list(csv.reader(io.StringIO(archive.read("indicators.csv").decode("utf-8-sig")), delimiter=";"))
    named = {name for row in table[1:] for name in row[-1].split()}
    named |= set(re.findall(r'href="([^"]+)"', archive.read("index.html").decode()))
    return named


def test_every_file_named_by_a_period_pack_index_is_in_its_zip(seed_course, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    world = complete_session(seed_course)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=60)
    pack, archive = _period_pack_archive(world, start, today, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    named = _named_by_index(archive)
    folder = "sessions/COMNUM-%d/" % world.course_session.pk
    assert folder + "programme.pdf" in named and folder + "needs.csv" in named
    assert named <= names, named - names
    # The pack's name and its results are about its period, written the French way.
    assert str(pack) == "%s – %s" % (start.strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y"))
    assert start.strftime("%d-%m-%Y") in pack.file.name
    results = list(csv.reader(io.StringIO(archive.read("results.csv").decode("utf-8-sig")), delimiter=";"))
    assert {(row[5], row[6]) for row in results[1:]} == {(start.strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y"))}


def test_a_period_pack_without_sessions_names_no_missing_file(seed_course, django_capture_on_commit_callbacks):
    import datetime

    world = complete_session(seed_course)
    pack, archive = _period_pack_archive(
        world, datetime.date(2020, 1, 1), datetime.date(2020, 12, 1), django_capture_on_commit_callbacks
    )
    named = _named_by_index(archive)
    assert named <= set(archive.namelist()), named - set(archive.namelist())
    assert "programme.pdf" not in named


def test_evidence_pack_file_names_are_all_in_english(seed_course):
    world = complete_session(seed_course)
    pack = EvidencePack.objects.create(course_session=world.course_session)
    files, _when = pack_contents(pack)
    names = {name for name, _c in files}
    assert {"complaints.csv", "improvement-actions.csv", "needs.csv", "joining-instructions.csv"} <= names
    assert not names & {"reclamations.csv", "actions-amelioration.csv"}
