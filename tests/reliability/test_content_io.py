"""export_content / import_content: nothing curated is lost on the way out and back in."""

import datetime
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from portal import content_io, registry
from portal.curated import load_curated
from portal.models import EditorialModel
from tests.factories import (
    ApprovalFactory,
    KeyProvisionFactory,
    PolicyDocumentFactory,
    TherapyCategoryFactory,
    TherapyFactory,
    UserFactory,
)
from therapies.models import Therapy, TherapyCategory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "curated"


@pytest.fixture
def content():
    """The curated fixture dataset plus what it lacks: drafts, self-references, authors, partial dates."""
    load_curated(FIXTURE)
    author = UserFactory(username="curator", first_name="Ada", email="ada@example.org", is_staff=True)
    parent = TherapyCategory.objects.get(slug="car-t")
    draft_category = TherapyCategoryFactory(
        status="draft", parent=parent, name_en="Draft <b>category</b>", name_zh_hans="草稿类别",
        created_by=author, updated_by=author,
    )
    modality = TherapyFactory(kind="modality", category=draft_category, status="in_review")
    product = TherapyFactory(modality=modality, category=draft_category, status="archived", body_zh_hans="正文")
    ApprovalFactory(therapy=product, decided_on=datetime.date(2021, 6, 1), decided_on_precision="month", agency="nmpa")
    ApprovalFactory(therapy=product, decided_on=datetime.date(2019, 1, 1), decided_on_precision="year", agency="ema")
    older = PolicyDocumentFactory(status="draft", issued_on=None)
    newer = PolicyDocumentFactory(supersedes=older)
    KeyProvisionFactory(policy=newer, position=2, heading_en="Second")
    KeyProvisionFactory(policy=newer, position=1, heading_en="First")
    return author


def _wipe_curated():
    """Empty every curated table (children first), as on a fresh database, and drop the authors."""
    for model in registry.inline_models():
        model.objects.all().delete()
    TherapyCategory.objects.update(parent=None)
    Therapy.objects.update(modality=None)
    for model in [Therapy, *reversed(registry.load_order())]:
        model.objects.all().delete()
    get_user_model().objects.filter(username="curator").delete()


def test_round_trip_export_wipe_import_export_is_identical(content, tmp_path):
    first = tmp_path / "first.json"
    call_command("export_content", output=first, stderr=None)
    _wipe_curated()
    assert not any(model.objects.exists() for model in content_io.covered_models())

    call_command("import_content", first, stdout=None)
    second = tmp_path / "second.json"
    call_command("export_content", output=second, stderr=None)

    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_export_keeps_drafts_both_languages_self_references_and_order(content):
    document = content_io.export_content()
    categories = {row["slug"]: row for row in document["content"]["therapies.therapycategory"]}
    draft = next(row for row in categories.values() if row["status"] == "draft")
    assert (draft["name_en"], draft["name_zh_hans"], draft["parent"]) == ("Draft <b>category</b>", "草稿类别", "car-t")
    assert draft["created_by"] == "curator"
    policies = [row for row in document["content"]["policies.policydocument"] if row["supersedes"]]
    assert [p["heading_en"] for p in policies[0]["provisions"]] == ["First", "Second"]
    assert document["summary"]["therapies.therapy"]["count"] == Therapy.objects.count()


def test_export_uses_natural_keys_not_ids(content):
    text = content_io.dumps(content_io.export_content())
    assert '"id"' not in text


def test_import_restores_authors_inactive_without_password(content):
    document = content_io.export_content()
    _wipe_curated()
    content_io.import_content(document)
    author = get_user_model().objects.get(username="curator")
    assert (author.is_active, author.has_usable_password(), author.first_name) == (False, False, "Ada")
    assert TherapyCategory.objects.get(name_en="Draft <b>category</b>").created_by == author


def test_import_refuses_a_database_with_content(content, tmp_path):
    path = tmp_path / "export.json"
    call_command("export_content", output=path, stderr=None)
    with pytest.raises(CommandError, match="already holds curated content"):
        call_command("import_content", path, stdout=None)


def test_import_refuses_a_tampered_file(content):
    document = content_io.export_content()
    _wipe_curated()
    document["content"]["therapies.therapy"][0]["name_en"] = "Defaced"
    with pytest.raises(content_io.ImportRefused, match="checksum"):
        content_io.import_content(document)
    assert not Therapy.objects.exists()


def test_import_refuses_another_format_version(content):
    document = json.loads(content_io.dumps(content_io.export_content()))
    document["version"] = 99
    with pytest.raises(content_io.ImportRefused, match="version"):
        content_io.import_content(document)


def test_every_curated_model_is_exported():
    curated = {model for model in apps.get_models() if issubclass(model, EditorialModel)}
    assert curated <= content_io.covered_models()


def test_export_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    # One query per model and one per prefetched relation; the same with one row or many.
    ApprovalFactory()
    with django_assert_max_num_queries(30) as few:
        content_io.export_content()
    for _ in range(5):
        product = TherapyFactory()
        ApprovalFactory(therapy=product)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content_io.export_content()


def test_import_applies_the_model_rules(content):
    document = content_io.export_content()
    _wipe_curated()
    document["content"]["policies.authority"][0]["website"] = "javascript:alert(1)"
    document["summary"].pop("policies.authority")
    with pytest.raises(content_io.ImportRefused, match="website"):
        content_io.import_content(document)
