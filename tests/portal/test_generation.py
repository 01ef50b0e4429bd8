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


def test_content_changed_bumps_now_and_again_after_commit(django_capture_on_commit_callbacks):
    before = content_generation()
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()
        assert content_generation() == before + 1
    assert content_generation() == before + 2


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
