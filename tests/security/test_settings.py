"""Production settings: `check --deploy` passes, headers and cookies are hardened, admin URL moves."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k7#Qv9$Lm2@xR4!pZ8^wT1&nB6*yH3(eJ5)uC0%sD7_gF2+aV9-oI4=rM8~lK1",
    "DJANGO_ALLOWED_HOSTS": "cell-therapy.example.org",
}


def manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV, **env_overrides)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_with_a_weak_secret_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_admin_url_is_configurable():
    result = manage("shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))",
                    DJANGO_ADMIN_URL="curation-desk/")
    assert result.stdout.strip().splitlines()[-1] == "/curation-desk/", result.stderr


@pytest.mark.parametrize(("cache_env", "engine"), [
    ({"REDIS_URL": "redis://127.0.0.1:6379/9", "CACHE_URL": ""}, "django.contrib.sessions.backends.cached_db"),
    ({"REDIS_URL": "", "CACHE_URL": ""}, "django.contrib.sessions.backends.db"),
])
def test_sessions_are_read_through_the_shared_cache_only(cache_env, engine):
    result = manage("shell", "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)", **cache_env)
    assert result.stdout.strip().splitlines()[-1] == engine, result.stderr


def test_cookies_are_secure_httponly_and_same_site():
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert (settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SAMESITE) == ("Lax", "Lax")


def test_staff_sessions_expire():
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_password_validators_are_on():
    with pytest.raises(ValidationError):
        validate_password("password")
    with pytest.raises(ValidationError):
        validate_password("12345678901234")


@pytest.mark.django_db
def test_public_pages_carry_the_security_headers(client):
    response = client.get("/en/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_over_https(client, db):
    response = client.get("/en/", secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]
