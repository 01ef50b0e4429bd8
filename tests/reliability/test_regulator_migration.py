"""The issue-13 data migration on a copy of the approvals as they were (tests/fixtures/
approvals-2026-12.json, read from data/therapies.yaml before the change): every approval
keeps its regulator, date, pathway, indication and withdrawal, and migrating back gives the
same rows again."""

import datetime
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.dates import parse_partial_date

BEFORE = [("therapies", "0004_ordering_indexes"), ("policies", "0004_ordering_indexes")]
AFTER = [("therapies", "0010_generic_names_keep_their_text"), ("policies", "0005_regulators")]
TODAY = json.loads((Path(__file__).parent.parent / "fixtures" / "approvals-2026-12.json").read_text())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def old_rows(apps) -> list[tuple]:
    Approval = apps.get_model("therapies", "Approval")
    return sorted(
        (a.therapy.slug, a.agency, a.decided_on.isoformat(), a.decided_on_precision, a.approval_type,
         a.indication.slug if a.indication else None, a.status,
         a.withdrawn_on.isoformat() if a.withdrawn_on else None, a.withdrawn_on_precision if a.withdrawn_on else None)
        for a in Approval.objects.select_related("therapy", "indication")
    )


def load_today(apps) -> None:
    Category = apps.get_model("therapies", "TherapyCategory")
    Therapy = apps.get_model("therapies", "Therapy")
    Condition = apps.get_model("therapies", "Condition")
    Approval = apps.get_model("therapies", "Approval")
    category = Category.objects.create(slug="cell-therapy", name="Cell therapy", name_en="Cell therapy")
    for row in TODAY:
        therapy, _ = Therapy.objects.get_or_create(
            slug=row["therapy"], defaults={"name": row["therapy"], "name_en": row["therapy"], "category": category})
        indication = None
        if row["indication"]:
            indication, _ = Condition.objects.get_or_create(
                slug=row["indication"], defaults={"name": row["indication"], "name_en": row["indication"]})
        decided_on, precision = parse_partial_date(row["decided_on"])
        withdrawn_on, withdrawn_precision = (
            parse_partial_date(row["withdrawn_on"]) if row["withdrawn_on"] else (None, "day"))
        Approval.objects.create(
            therapy=therapy, agency=row["agency"], decided_on=decided_on, decided_on_precision=precision,
            approval_type=row["approval_type"] or "", indication=indication, status=row["status"],
            withdrawn_on=withdrawn_on, withdrawn_on_precision=withdrawn_precision,
        )


@pytest.fixture
def before_the_change(transactional_db):
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        migrate(AFTER)


def test_todays_approvals_migrate_without_loss_and_back(before_the_change):
    load_today(before_the_change)
    original = old_rows(before_the_change)
    assert len(original) == len(TODAY) == 49

    apps = migrate(AFTER)
    Approval = apps.get_model("therapies", "Approval")
    Event = apps.get_model("therapies", "ApprovalEvent")
    migrated = {(a.therapy.slug, a.regulator.slug, a.decided_on.isoformat()): a
                for a in Approval.objects.select_related("therapy", "regulator", "condition")}
    assert len(migrated) == len(TODAY)
    for row in TODAY:
        decided_on, precision = parse_partial_date(row["decided_on"])
        approval = migrated[(row["therapy"], row["agency"], decided_on.isoformat())]
        assert approval.regulator.is_regulator and approval.decided_on_precision == precision
        assert approval.pathway == {"full": "standard"}.get(row["approval_type"], row["approval_type"] or "")
        assert (approval.condition.slug if approval.condition else None) == row["indication"]
        events = list(Event.objects.filter(approval_id=approval.pk).values_list("kind", "date"))
        if row["status"] == "withdrawn":
            assert events == [("withdrawn", parse_partial_date(row["withdrawn_on"])[0])]
        else:
            assert events == []
    assert len({a.slug for a in migrated.values()}) == len(TODAY)
    Authority = apps.get_model("policies", "Authority")
    assert set(Authority.objects.filter(is_regulator=True).values_list("jurisdiction", flat=True)) == {
        "US", "EU", "CN", "JP", "KR", "CA", "CN-HK", "CN-MO"}

    back = migrate(BEFORE)
    assert old_rows(back) == original
    # The regulators it created, and nothing else uses, are gone again.
    assert not back.get_model("policies", "Authority").objects.filter(slug="fda").exists()


def test_fixture_is_todays_dataset():
    """A guard on the copy itself: dates parse and every withdrawal has its date."""
    for row in TODAY:
        assert parse_partial_date(row["decided_on"])[0] <= datetime.date(2026, 12, 31)
        assert (row["status"] == "withdrawn") == bool(row["withdrawn_on"])


def test_a_generic_name_from_before_the_change_reads_in_english_after_it(before_the_change):
    load_today(before_the_change)
    Therapy = before_the_change.get_model("therapies", "Therapy")
    Therapy.objects.filter(slug="kymriah").update(generic_name="tisagenlecleucel")
    apps = migrate(AFTER)
    kymriah = apps.get_model("therapies", "Therapy").objects.get(slug="kymriah")
    assert (kymriah.generic_name_en, kymriah.generic_name_zh_hans) == ("tisagenlecleucel", None)
