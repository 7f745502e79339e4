"""Security baseline: CSP, cookies, production settings, log-in rate limit, optional second factor."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from academy.core.models import AuditLogEntry
from academy.core.ratelimit import client_key, rate_limited, ratelimit
from tests.factories.privacy import UserFactory, staff_admin, staff_planner

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return "%06d" % totp.token()


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_script(client, seed_course):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["privacy:policy", "privacy:cookies", "compliance:legal_notice", "compliance:accessibility"]
)
def test_privacy_pages_hold_no_inline_script_or_style(client, seed_course, name):
    html = client.get(reverse(name)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.django_db
def test_the_two_factor_page_holds_no_inline_style(client):
    client.force_login(staff_planner())
    html = client.get(reverse("accounts:two_factor")).content.decode()
    assert "<svg" in html
    assert "<style" not in html and not re.search(r"\sstyle=", html)


def test_session_and_csrf_cookies_are_httponly_and_samesite():
    assert django_settings.SESSION_COOKIE_HTTPONLY and django_settings.CSRF_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax" and django_settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_argon2_is_the_first_password_hasher():
    assert django_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x7Lq-" + "a9F3kP2mZ8vR4tW6yB1nC5dE0gH7jK3sU" * 2,
        DJANGO_ALLOWED_HOSTS="academie.exemple",
        ACADEMY_VAR_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_hsts_and_secure_cookies(tmp_path):
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="x",
        ACADEMY_VAR_DIR=str(tmp_path),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='academy.settings';django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr


@pytest.mark.django_db
def test_admin_login_is_paused_after_five_failures_for_that_ip_and_username(client):
    UserFactory(username="alice", is_staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_failures_from_another_ip_do_not_lock_out_the_user(client):
    UserFactory(username="alice", is_staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "alice", "password": "wrong"}, REMOTE_ADDR="203.0.113.1")
    response = client.post(url, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_staff_without_a_device_log_in_with_a_password(client):
    UserFactory(username="bob", is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_staff_with_a_confirmed_device_must_give_a_code(client):
    user = UserFactory(username="carol", is_staff=True)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(reverse("admin:login"), {"username": "carol", "password": PASSWORD})
    assert response.status_code == 200
    assert "Veuillez saisir votre jeton OTP" in response.content.decode()
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_staff_with_a_confirmed_device_get_in_with_the_right_code(client):
    user = UserFactory(username="dave", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(
        reverse("admin:login"), {"username": "dave", "password": PASSWORD, "otp_token": totp_now(device)}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_session_not_verified_by_the_device_is_refused_by_the_back_office(client):
    user = UserFactory(username="erin", is_staff=True)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_a_staff_member_can_activate_a_second_factor(client):
    user = staff_planner()
    client.force_login(user)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    response = client.post(
        reverse("accounts:two_factor"), {"token": "000000" if totp_now(device) != "000000" else "111111"}
    )
    assert "n’est pas valide" in response.content.decode()
    # django-otp throttles after a failure; a user would retry after the pause.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post(reverse("accounts:two_factor"), {"token": totp_now(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditLogEntry.objects.filter(object_type="otp_totp.totpdevice", action="create").exists()


def test_rate_limited_counts_per_key_and_window():
    assert not any(rate_limited("test", "k1", limit=3, window=60) for _ in range(3))
    assert rate_limited("test", "k1", limit=3, window=60)
    assert not rate_limited("test", "k2", limit=3, window=60)


def test_the_client_key_never_holds_the_ip_in_clear(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    assert "192.0.2.44" not in client_key(request, "alice")


@pytest.mark.django_db
def test_the_ratelimit_decorator_answers_429_past_the_limit(rf):
    from django.http import HttpResponse

    @ratelimit("form", limit=2, window=60)
    def view(request):
        return HttpResponse("ok")

    statuses = [view(rf.post("/", REMOTE_ADDR="192.0.2.1")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_the_audit_log_is_readable_by_administrators_only_and_never_editable(client):
    entry = AuditLogEntry.objects.create(action="view", object_type="x.y", object_id="1")
    client.force_login(staff_planner())
    assert client.get(reverse("admin:core_auditlogentry_changelist")).status_code == 403
    client.force_login(staff_admin())
    assert client.get(reverse("admin:core_auditlogentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditlogentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditlogentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditlogentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
