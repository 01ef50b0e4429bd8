"""The content generation: which models bump it, and every bulk path says the content changed."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from portal import generation
from portal.generation import content_changed, content_generation, content_models
from tests.factories import TherapyCategoryFactory

pytestmark = pytest.mark.django_db


def test_content_models_are_the_content_apps_the_references_and_the_search_index():
    expected = {*apps.get_app_config("therapies").get_models(), *apps.get_app_config("policies").get_models(),
                apps.get_model("portal.Reference"), apps.get_model("portal.SearchEntry")}
    assert set(content_models()) == expected


def test_a_change_is_stored_in_the_database_in_its_own_transaction():
    from portal.generation_row import ContentGeneration

    before = content_generation()
    content_changed()
    assert content_generation() > before
    assert ContentGeneration.objects.get().value == content_generation()


def test_the_writer_sees_its_bump_at_once_and_the_process_after_the_commit(django_capture_on_commit_callbacks):
    known_before = generation._memo
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
        assert generation._memo == known_before  # not yet committed: other threads keep the old one
    assert generation._memo.value == content_generation()


def test_the_commit_publishes_the_generation_in_the_cache(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
    assert cache.get(generation.GENERATION_KEY) == content_generation()


def test_a_bump_rolled_back_with_its_savepoint_is_forgotten():
    from django.db import transaction

    content_changed()
    before = content_generation()
    with transaction.atomic():
        content_changed()
        assert content_generation() > before
        transaction.set_rollback(True)
    assert content_generation() == before


def test_a_newer_generation_published_in_the_cache_is_adopted():
    committed = generation.current()
    assert generation.current(seen_in_cache=committed + 10) == committed + 10
    assert generation.current() == committed + 10
    assert generation.current(seen_in_cache=committed) == committed + 10  # never goes back


def test_many_to_many_changes_bump_once_after_the_rows_changed(monkeypatch):
    from tests.factories import ReferenceFactory

    category, reference = TherapyCategoryFactory(), ReferenceFactory()
    bumps = []
    monkeypatch.setattr(generation, "content_changed", lambda: bumps.append(1))
    category.references.add(reference)
    assert bumps == [1]  # post_add; pre_add changed nothing yet


@pytest.fixture
def checked_every_two_seconds(settings, monkeypatch):
    """A process whose memo was checked at t=0, and a clock the test moves."""
    settings.CONTENT_GENERATION_CHECK_SECONDS = 2
    now = [1000.0]
    monkeypatch.setattr(generation.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(generation, "_memo", generation._Memo(generation.current(), now[0]))
    return now


def test_within_the_check_interval_the_generation_costs_no_query(checked_every_two_seconds, django_assert_num_queries):
    checked_every_two_seconds[0] += 1.9
    with django_assert_num_queries(0):
        generation.current()


def test_after_the_check_interval_one_query_reads_a_commit_made_elsewhere(checked_every_two_seconds,
                                                                         django_assert_num_queries):
    from portal.generation_row import ContentGeneration

    elsewhere = generation.current() + 5
    ContentGeneration.objects.update(value=elsewhere)  # another server's commit
    checked_every_two_seconds[0] += 2
    with django_assert_num_queries(1):
        assert generation.current() == elsewhere
    with django_assert_num_queries(0):
        generation.current()


def test_with_the_database_unreadable_there_is_no_generation_to_serve_from(checked_every_two_seconds):
    from unittest import mock

    from django.db import OperationalError, connection

    checked_every_two_seconds[0] += 2
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        assert generation.current() is None


def test_a_pinned_generation_is_what_derived_values_are_keyed_by():
    with generation.pinned(42):
        assert content_generation() == 42
    assert content_generation() != 42


@pytest.mark.parametrize("command", [
    ["rebuild_search_index"],
    ["seed_demo", "--clear"],
])
def test_bulk_commands_that_write_without_signals_bump_the_generation(command):
    """Run on an empty database, where their writes fire no signal at all."""
    before = content_generation()
    call_command(*command, stdout=io.StringIO())
    assert content_generation() > before


def test_load_curated_says_the_content_changed(monkeypatch, tmp_path):
    from portal.curated import LoadReport
    from portal.management.commands import load_curated

    calls = []
    monkeypatch.setattr(load_curated, "content_changed", lambda: calls.append(1))
    monkeypatch.setattr(load_curated, "load_curated", lambda folder, **options: LoadReport())
    call_command("load_curated", data_dir=tmp_path, stdout=io.StringIO())
    call_command("load_curated", data_dir=tmp_path, dry_run=True, stdout=io.StringIO())
    assert calls == [1]  # not for a dry run, which rolls back


def test_import_content_says_the_content_changed(monkeypatch, tmp_path):
    from portal.management.commands import import_content

    calls = []
    monkeypatch.setattr(import_content, "content_changed", lambda: calls.append(1))
    monkeypatch.setattr(import_content, "import_content", lambda document: {})
    path = tmp_path / "export.json"
    path.write_text("{}", encoding="utf-8")
    call_command("import_content", path, stdout=io.StringIO())
    assert calls == [1]


def test_a_saved_item_bumps_the_generation():
    before = content_generation()
    TherapyCategoryFactory()
    assert content_generation() > before
