"""Every migration runs backward and forward again, so a bad deploy can be rolled back."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APPS = ("portal", "therapies", "policies")


def _latest(app_label):
    executor = MigrationExecutor(connection)
    return max(key for key in executor.loader.graph.leaf_nodes() if key[0] == app_label)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_all_project_migrations_reverse_to_zero_and_reapply():
    latest = {app: _latest(app)[1] for app in APPS}
    # policies and therapies depend on portal, so unwind them first.
    for app in ("policies", "therapies", "portal"):
        call_command("migrate", app, "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not {t for t in tables if t.startswith(("therapies_", "policies_", "portal_"))}
    call_command("migrate", verbosity=0)
    executor = MigrationExecutor(connection)
    applied = {key for key in executor.loader.applied_migrations if key[0] in APPS}
    assert set(latest.items()) <= applied


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_roles_come_back_after_a_round_trip():
    from django.contrib.auth.models import Group

    call_command("migrate", "portal", "0001", verbosity=0)
    assert not Group.objects.filter(name__in=["Editor", "Publisher"]).exists()
    call_command("migrate", verbosity=0)
    assert Group.objects.get(name="Publisher").permissions.filter(codename="publish_therapy").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_search_index_migration_applies_over_an_existing_index():
    """0004 drops index rows and alters the tables in one transaction (PostgreSQL refused once)."""
    call_command("migrate", "portal", "0003", verbosity=0)
    executor = MigrationExecutor(connection)
    old_apps = executor.loader.project_state(("portal", "0003_search_index")).apps
    entry = old_apps.get_model("portal", "SearchEntry").objects.create(
        kind="therapy", object_id=1, language="en", slug="kymriah", title="Kymriah", body="")
    old_apps.get_model("portal", "SearchTerm").objects.create(entry=entry, term="kymriah", weight=10)
    call_command("migrate", verbosity=0)
    from portal.models import SearchEntry

    assert not SearchEntry.objects.exists()
