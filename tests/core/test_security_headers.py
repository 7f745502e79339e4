"""Headers and cookies every response carries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/contact/", "/robots.txt", "/accounts/login/", "/nowhere/"])
def test_every_response_carries_a_permissions_policy_that_switches_off_camera_microphone_and_location(client, url):
    response = client.get(url)

    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


def test_the_attendance_scan_page_needs_no_camera_permission():
    # Trainees scan the room's code with their phone's camera application, not from the page.
    scripts = list((ROOT / "academy" / "attendance" / "static" / "attendance").glob("*.js"))
    assert scripts
    assert not [s for s in scripts if "getUserMedia" in s.read_text(encoding="utf-8")]


def test_language_cookie_is_secure_in_production_like_the_session_cookie(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS="x")
    env["ACADEMY_VAR_DIR"] = str(tmp_path)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='academy.settings';django.setup();"
        "from django.conf import settings as s;print(s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.stdout.split() == ["True", "True"], result.stderr


@pytest.mark.django_db
def test_the_language_cookie_set_by_the_language_switch_is_secure_when_required(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True
