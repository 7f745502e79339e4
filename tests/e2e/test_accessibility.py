"""Accessibility and HTML conformance of the public pages, in French and English.

axe-core (npm, pinned in package-lock.json) runs inside Chromium on every public page and on the
enrolment, survey, signing and certificate-verification pages with the WCAG 2.1 A/AA rule tags;
the Nu Html Checker (vnu-jar, pinned) reads the same pages as served. Both must report nothing.
A keyboard-only walk completes the enrolment form: at each step the focused element is inside the
window and not covered by anything (WCAG 2.2 SC 2.4.11), and a screenshot of the step is kept.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from academy.attendance import services as attendance_services
from academy.certification.services import issue_certificate
from academy.core.models import TrainingOrganisation
from academy.enrolment.models import Enrolment
from academy.evaluation.sending import make_answer_token
from tests.attendance.helpers import session_happening_now, trainee, two_day_session
from tests.factories.attendance import sign_slot
from tests.factories.scheduling import CourseSessionFactory, add_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NODE_MODULES = settings.BASE_DIR / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require_tools():
    missing = [str(path) for path in (AXE, VNU) if not path.exists()]
    if shutil.which("java") is None:
        missing.append("java")
    if missing:
        message = "checkers missing (run `make install`, which runs `npm ci`): %s" % ", ".join(missing)
        if os.environ.get("ACADEMY_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _world(seed_course) -> dict[str, str]:
    """Every page to check, by name, as a path of the default (French) language."""
    TrainingOrganisation.objects.update(
        legal_representative="Camille Martin", siret="12345678900015", declaration_number="11759999975"
    )
    upcoming = CourseSessionFactory(course=seed_course)
    add_day(upcoming, timezone.localdate() + datetime.timedelta(days=30))
    running, _trainer, slot = session_happening_now(course=seed_course)
    signer = trainee(running, first_name="Inès", last_name="Órfão")
    past, past_trainer, past_slots = two_day_session()
    graduate = trainee(past, first_name="Zoë", last_name="Ñúñez")
    for past_slot in past_slots:
        sign_slot(past_slot, graduate, past_trainer)
    certificate = issue_certificate(enrolment=graduate, send=False)
    code = seed_course.code
    return {
        "catalogue": reverse("catalog:course_list"),
        "course": reverse("catalog:course_detail", args=[code]),
        "quote-request": reverse("catalog:quote_request", args=[code]),
        "customisation-request": reverse("catalog:customisation_request", args=[code]),
        "interest-signal": reverse("catalog:interest_signal", args=[code]),
        "contact": reverse("catalog:contact"),
        "legal-notice": reverse("compliance:legal_notice"),
        "accessibility": reverse("compliance:accessibility"),
        "privacy-policy": reverse("privacy:policy"),
        "cookies": reverse("privacy:cookies"),
        "indicators": reverse("evaluation:indicators"),
        "terms-of-sale": reverse("commerce:terms_of_sale"),
        "internal-rules": reverse("commerce:internal_rules"),
        "login": reverse("accounts:login"),
        "enrolment": reverse("enrolment:enrol", args=[upcoming.pk]),
        "survey": reverse("evaluation:answer", args=[make_answer_token(enrolment=signer, kind="positioning_before")]),
        "signing": reverse(
            "attendance:sign_link",
            args=[slot.pk, attendance_services.make_signing_link_token(slot=slot, enrolment=signer)],
        ),
        "certificate-verification": reverse("certification:verify", args=[certificate.public_id]),
    }


def _in_language(path: str, language: str) -> str:
    return path if language == "fr" else "/en" + path


def _axe(page) -> list[dict]:
    """Run axe-core in ``page`` with the WCAG 2.1 A/AA tags; return its violations (id, nodes)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)}))",
        WCAG_TAGS,
    )
    return result


def _vnu(files: list[str]) -> list[str]:
    """Run the Nu Html Checker on ``files``; return its error messages with file and line."""
    completed = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(completed.stderr or '{"messages": []}')["messages"]
    return [
        "%s:%s %s" % (os.path.basename(m.get("url", "")), m.get("lastLine", "?"), m["message"])
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def test_public_pages_have_no_axe_violation_and_no_html_error_in_both_languages(
    browser, live_server, seed_course, artefacts_dir
):
    _require_tools()
    pages = _world(seed_course)
    # The site's Content Security Policy forbids injected scripts: the checker's context bypasses it.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    html_dir = os.path.join(artefacts_dir, "html")
    shots = os.path.join(artefacts_dir, "screenshots")
    os.makedirs(html_dir, exist_ok=True)
    os.makedirs(shots, exist_ok=True)
    violations, files = {}, []
    try:
        # The checker can fail: the former orange button (white on #e4572e, 3.68:1) is reported.
        page.set_content(
            '<!DOCTYPE html><html lang="fr"><title>t</title><main><button style="color:#fff;'
            'background:#e4572e">Envoyer</button></main></html>'
        )
        assert [v["id"] for v in _axe(page)] == ["color-contrast"]
        for language in ("fr", "en"):
            for name, path in pages.items():
                url = _in_language(path, language)
                response = page.goto(url)
                assert response.status == 200, (url, response.status)
                assert page.locator("html").get_attribute("lang") == language, url
                found = _axe(page)
                if found:
                    violations["%s %s" % (language, url)] = found
                page.screenshot(path=os.path.join(shots, "a11y-%s-%s.png" % (language, name)), full_page=True)
                served = page.request.get(live_server.url + url).text()
                file_path = os.path.join(html_dir, "%s-%s.html" % (language, name))
                with open(file_path, "w", encoding="utf-8") as handle:
                    handle.write(served)
                files.append(file_path)
    finally:
        context.close()
    assert len(files) == 2 * len(pages)
    assert violations == {}, json.dumps(violations, indent=1, ensure_ascii=False)
    # The checker can fail too: a paragraph holding a block is reported.
    broken = os.path.join(html_dir, "broken.html")
    with open(broken, "w", encoding="utf-8") as handle:
        handle.write('<!DOCTYPE html><html lang="fr"><title>t</title><ul><p>x</p></ul></html>')
    errors = _vnu([broken, *files])
    assert errors and all(e.startswith("broken.html") for e in errors), "\n".join(errors)


# A point is "covered" when the element drawn on top of it is neither the focused element nor
# inside it (e.g. a sticky banner or header painted over a field).
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {ok: false, why: 'nothing focused'};
  const r = el.getBoundingClientRect();
  const label = el.tagName + (el.name ? '[name=' + el.name + ']' : '') + (el.id ? '#' + el.id : '');
  if (r.width === 0 || r.height === 0) return {ok: false, why: 'zero-sized ' + label};
  if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth)
    return {ok: false, why: 'outside the window ' + label};
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 10), 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const label_of = (node) => node && node.closest ? node.closest('label') : null;
  const ok = top === el || el.contains(top) || (label_of(top) && label_of(top).control === el)
    || (top && top.tagName === 'LABEL' && top.control === el);
  return {ok: !!ok, why: ok ? label : 'covered ' + label + ' by ' + (top ? top.tagName + '.' + top.className : 'nothing')};
}"""


def test_keyboard_only_completes_the_enrolment_form_with_every_focused_field_visible(
    page, live_server, seed_course, artefacts_dir
):
    upcoming = CourseSessionFactory(course=seed_course)
    add_day(upcoming, timezone.localdate() + datetime.timedelta(days=30))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(reverse("enrolment:enrol", args=[upcoming.pk]))
    folder = os.path.join(artefacts_dir, "screenshots", "keyboard-enrolment")
    os.makedirs(folder, exist_ok=True)
    typed = {
        "contact_first_name": "Inès",
        "contact_last_name": "Órfão",
        "contact_email": "ines.orfao@exemple.fr",
        "organisation_name": "Coopérative Œuvre",
    }
    seen = []
    for step in range(1, 121):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_VISIBLE)
        # The window as the person sees it (not the full page): the focused element must be in it.
        page.screenshot(path=os.path.join(folder, "step-%03d.png" % step))
        assert state["ok"], "step %d: %s" % (step, state["why"])
        info = page.evaluate(
            "() => ({tag: document.activeElement.tagName, type: document.activeElement.type || '',"
            " name: document.activeElement.name || '', in_form: !!document.activeElement.closest('form.enrolment-form')})"
        )
        seen.append("%(tag)s %(type)s %(name)s" % info)
        if not info["in_form"]:
            continue
        if info["name"] in typed:
            page.keyboard.type(typed.pop(info["name"]))
        elif info["type"] == "radio" and info["name"] == "funding":
            page.keyboard.press("Space")
        elif info["type"] == "checkbox" and info["name"] == "accept_terms":
            page.keyboard.press("Space")
        elif info["tag"] == "BUTTON" and info["type"] == "submit" and info["name"] == "":
            page.keyboard.press("Enter")
            break
    else:
        raise AssertionError("never reached the submit button; last focused: %s" % seen[-8:])
    page.wait_for_load_state()
    page.screenshot(path=os.path.join(folder, "done.png"), full_page=True)
    assert typed == {}, "fields never reached by the keyboard: %s" % list(typed)
    enrolment = Enrolment.objects.get(email="ines.orfao@exemple.fr")
    assert (enrolment.first_name, enrolment.last_name) == ("Inès", "Órfão")
