"""Staff use the back office in French: every admin page (index, each app, each model's list and
add form) speaks French, third-party apps included (second factor, background tasks)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

#: English seen in the French back office before it was translated; none may come back.
ENGLISH_WORDS = [
    "TOTP device",
    "Task Result",
    "Course",
    "Client organisation",
    "Enrolment",
    "Score count",
    "Recommend yes",
    "User",
    "Booking",
    "Questionnaire version",
    "enqueued at",
    "throttling failure",
    "created at",
    "updated at",
]
#: A plural made by appending "s" to a closing parenthesis: "… (HEURE LOCALE DE LA SESSION)S".
BROKEN_PLURAL = re.compile(r"\)s\b", re.IGNORECASE)

#: Names that are the same word in French and English (not a missing translation).
SAME_IN_FRENCH = {
    "action",
    "applicable",
    "cv",
    "date",
    "qualifications",
    "arguments",
    "exception",
    "catalogue",
    "contact",
    "description",
    "e-mail",
    "e-mails",
    "format",
    "id",
    "introduction",
    "message",
    "organisation",
    "pdf",
    "permissions",
    "position",
    "questionnaire",
    "questionnaires",
    "session",
    "sessions",
    "signature",
    "signatures",
    "siret",
    "source",
    "version",
    "t0",
}


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def _admin_pages() -> list[str]:
    """The index, each app's page, and each model's list, add form and first object's change form."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        for view in ("changelist", "add"):
            try:
                urls.append(reverse("admin:%s_%s_%s" % (opts.app_label, opts.model_name, view)))
            except NoReverseMatch:
                continue
        first = model_admin.get_queryset(None).order_by("pk").first() if hasattr(model, "objects") else None
        if first is not None:
            urls.append(reverse("admin:%s_%s_change" % (opts.app_label, opts.model_name), args=[first.pk]))
    return sorted(set(urls))


def _some_of_everything(user):
    """Rows in the lists (column headers show only with rows): the role-matrix world and more."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from academy.evaluation.models import DailySatisfaction
    from tests.accounts.role_matrix import build_world

    world = build_world()
    DailySatisfaction.objects.create(course=world.course, day=datetime.date(2026, 11, 2), score_count=9, score_sum=41)
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=False)
    return world


def test_every_admin_page_is_in_french(client, django_user_model):
    user = django_user_model.objects.create_superuser("direction", "direction@exemple.fr", "x" * 16)
    _some_of_everything(user)
    client.force_login(user)
    pages = _admin_pages()
    assert len(pages) > 40
    found = {}
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if response.status_code == 403:  # an add form closed to everyone (e.g. the audit log)
            continue
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        leaks = [word for word in ENGLISH_WORDS if re.search(r"\b%s\b" % re.escape(word), text)]
        leaks += BROKEN_PLURAL.findall(text)
        if leaks:
            found[url] = leaks
    assert found == {}, "\n".join("%s: %s" % item for item in sorted(found.items()))


def _names(model):
    yield "model", model._meta.verbose_name
    yield "model (plural)", model._meta.verbose_name_plural
    for field in model._meta.get_fields():
        if getattr(field, "verbose_name", None) is not None and not field.auto_created:
            yield field.name, field.verbose_name


def test_every_model_and_field_shown_in_the_admin_has_a_french_name():
    untranslated = []
    for model in admin.site._registry:
        for key, name in _names(model):
            with translation.override("en"):
                english = str(name)
            with translation.override("fr"):
                french = str(name)
            if french == english and english.lower() not in SAME_IN_FRENCH:
                untranslated.append("%s.%s %s: %r" % (model._meta.app_label, model.__name__, key, english))
    assert untranslated == [], "\n".join(untranslated)
