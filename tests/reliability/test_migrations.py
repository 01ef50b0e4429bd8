"""Every migration runs backward and forward again, so a bad deploy can be rolled back.

The round trips run in a fresh database of the suite's own kind (a temporary SQLite file, or
a scratch PostgreSQL database), driven through `manage.py` in a subprocess, so the test
database and its caches are never touched.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

OUR_TABLES = ("therapies_", "policies_", "portal_")


@pytest.fixture
def scratch_database(tmp_path):
    """A DATABASE_URL for an empty database of the same vendor as the suite's."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    import psycopg2

    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                             dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def python(database_url: str, code: str) -> str:
    return run(database_url, "shell", "-c", code)


TABLES = (
    "from django.db import connection; "
    f"print(sorted(t for t in connection.introspection.table_names() if t.startswith({OUR_TABLES!r})))"
)


def test_all_project_migrations_reverse_to_zero_and_reapply(scratch_database):
    run(scratch_database, "migrate", "--noinput", "-v0")
    tables = python(scratch_database, TABLES).strip().splitlines()[-1]
    for app in ("policies", "therapies", "portal"):
        run(scratch_database, "migrate", app, "zero", "--noinput", "-v0")
    assert python(scratch_database, TABLES).strip().splitlines()[-1] == "[]"
    run(scratch_database, "migrate", "--noinput", "-v0")
    assert python(scratch_database, TABLES).strip().splitlines()[-1] == tables
    assert "[ ]" not in run(scratch_database, "showmigrations", "portal", "therapies", "policies")


def test_roles_come_back_after_a_round_trip(scratch_database):
    count = ("from django.contrib.auth.models import Group; "
             "print(Group.objects.filter(name__in=['Editor', 'Publisher']).count())")
    run(scratch_database, "migrate", "--noinput", "-v0")
    run(scratch_database, "migrate", "portal", "0001", "--noinput", "-v0")
    assert python(scratch_database, count).strip().splitlines()[-1] == "0"
    run(scratch_database, "migrate", "--noinput", "-v0")
    assert python(scratch_database, count).strip().splitlines()[-1] == "2"


def test_search_index_migration_applies_over_an_existing_index(scratch_database):
    """0004 drops index rows and alters the tables in one transaction (PostgreSQL refused once)."""
    run(scratch_database, "migrate", "portal", "0003", "--noinput", "-v0")
    python(scratch_database, (
        "from django.db import connection, transaction\n"
        "with transaction.atomic(), connection.cursor() as c:\n"
        "    c.execute(\"INSERT INTO portal_searchentry (kind, object_id, language, slug, title, body) "
        "VALUES ('therapy', 1, 'en', 'kymriah', 'Kymriah', '')\")\n"
        "    c.execute(\"INSERT INTO portal_searchterm (entry_id, term, weight) "
        "SELECT id, 'kymriah', 10 FROM portal_searchentry\")\n"
    ))
    run(scratch_database, "migrate", "--noinput", "-v0")
    assert python(scratch_database, "from portal.models import SearchEntry; print(SearchEntry.objects.count())"
                  ).strip().splitlines()[-1] == "0"


def test_search_vector_migration_reverses_over_a_filled_index(scratch_database):
    """0005 empties the derived index in both directions; `migrate` then rebuilds it."""
    entries = "from portal.models import SearchEntry; print(SearchEntry.objects.filter(slug='knee').count())"
    run(scratch_database, "migrate", "--noinput", "-v0")
    python(scratch_database, "from therapies.models import Condition; "
                             "Condition.objects.create(name_en='Knee osteoarthritis', slug='knee', status='published')")
    assert python(scratch_database, entries).strip().splitlines()[-1] == "1"
    run(scratch_database, "migrate", "portal", "0004", "--noinput", "-v0")
    assert python(scratch_database, entries).strip().splitlines()[-1] == "0"
    run(scratch_database, "migrate", "--noinput", "-v0")
    assert python(scratch_database, entries).strip().splitlines()[-1] == "1"
    assert python(scratch_database, "from portal.search import search; print(search('knee', language='en').total)"
                  ).strip().splitlines()[-1] == "1"
