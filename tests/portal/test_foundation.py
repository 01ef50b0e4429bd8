"""Settings come from the environment; the root URL and the local admin helper work."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.factories import PolicyDocumentFactory, TherapyCategoryFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _import_settings(**env):
    """Import the settings module in a fresh interpreter with only `env` configured."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_on_sqlite_without_configuration():
    result = _import_settings(DJANGO_DEBUG="1")
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


@pytest.mark.parametrize(("accept", "target"), [("zh-CN,zh;q=0.9", "/zh-hans/"), ("en-GB,en;q=0.8", "/en/")])
def test_root_sends_visitors_to_their_language(client, db, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert (response.status_code, response["Location"]) == (302, target)


@pytest.mark.django_db
def test_home_lists_published_categories_and_policies_only(client):
    TherapyCategoryFactory(name_en="Stem cell therapy")
    TherapyCategoryFactory(name_en="Secret draft family", status="draft")
    PolicyDocumentFactory(title_en="Bioeconomy plan")
    PolicyDocumentFactory(title_en="Unreleased notice", status="draft")
    page = client.get("/en/").content.decode()
    assert "Stem cell therapy" in page and "Bioeconomy plan" in page
    assert "Secret draft family" not in page and "Unreleased notice" not in page


@pytest.mark.django_db
def test_admin_login_page_is_served(client):
    assert client.get("/admin/login/").status_code == 200


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_local_admin_is_created_once(capsys):
    call_command("ensure_local_admin")
    assert "password" in capsys.readouterr().out
    call_command("ensure_local_admin")
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_local_admin_is_refused_in_production():
    with pytest.raises(CommandError):
        call_command("ensure_local_admin")


@pytest.mark.django_db
def test_roles_hold_the_right_permissions():
    from django.contrib.auth.models import Group

    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    publisher = set(Group.objects.get(name="Publisher").permissions.values_list("codename", flat=True))
    assert "change_therapy" in editor and "publish_therapy" not in editor and "delete_therapy" not in editor
    assert {"publish_therapy", "publish_policydocument", "delete_therapy"} <= publisher
    assert editor < publisher


def test_migrations_are_in_sync_with_models(db):
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_migration_checks_run_in_a_bare_shell_but_nothing_else_does():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    check = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                           cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr[-500:]
    serve = subprocess.run([sys.executable, "manage.py", "check"],
                           cwd=BASE_DIR, env=clean, capture_output=True, text=True, check=False)
    assert "DJANGO_SECRET_KEY is not set" in serve.stderr
