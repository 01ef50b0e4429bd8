"""load_curated: the whole dataset in one transaction, idempotent, precise about bad records."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from policies.models import PolicyDocument
from therapies.models import Approval, Therapy, TherapyCategory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "curated"


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    return folder


def _load(folder, **options):
    call_command("load_curated", data_dir=folder, stdout=None, **options)


def test_loads_every_family_with_translations_and_relations(data_dir):
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    assert (kymriah.name_zh_hans, kymriah.category.slug, kymriah.category.parent.slug) == (
        "Kymriah", "car-t", "immune-cell-therapy")
    assert [m.slug for m in kymriah.target_molecules.all()] == ["cd19"]
    assert kymriah.mechanism_links.get().role_zh_hans == "杀伤CD19阳性B细胞。"
    assert PolicyDocument.objects.get().provisions.get().heading_zh_hans == "细胞治疗"


def test_partial_dates_keep_their_precision(data_dir):
    _load(data_dir)
    ema = Approval.objects.get(regulator__slug="ema")
    assert (ema.decided_on_iso, ema.decided_on_precision) == ("2018-08", "month")


def test_second_run_changes_nothing(data_dir, capsys):
    _load(data_dir)
    before = {(t.slug, t.updated_at) for t in Therapy.objects.all()}
    approvals = set(Approval.objects.values_list("pk", flat=True))
    revisions = Revision.objects.count()
    call_command("load_curated", data_dir=data_dir)
    assert "Changed 0 item(s)" in capsys.readouterr().out
    assert {(t.slug, t.updated_at) for t in Therapy.objects.all()} == before
    assert set(Approval.objects.values_list("pk", flat=True)) == approvals
    assert Revision.objects.count() == revisions


def test_an_edited_record_is_updated_in_place(data_dir):
    _load(data_dir)
    path = data_dir / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("免疫细胞疗法", "免疫细胞治疗"), encoding="utf-8")
    _load(data_dir)
    assert TherapyCategory.objects.get(slug="immune-cell-therapy").name_zh_hans == "免疫细胞治疗"
    assert TherapyCategory.objects.count() == 2


def test_a_bad_record_names_file_record_and_field_and_writes_nothing(data_dir):
    path = data_dir / "molecules.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("P15391", "not-an-accession"), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        _load(data_dir)
    assert "molecules.yaml, record 1 (cd19), field 'uniprot'" in str(error.value)
    assert not TherapyCategory.objects.exists()  # loaded before molecules, rolled back


def test_an_unknown_slug_is_reported(data_dir):
    path = data_dir / "therapies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("category: car-t", "category: car-x"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"therapies.yaml, record 1 \(kymriah\), field 'category': no therapy"):
        _load(data_dir)


def test_a_bad_nested_row_is_reported_with_its_position(data_dir):
    path = data_dir / "therapies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"2018-08"', '"2018-8"'), encoding="utf-8")
    with pytest.raises(CommandError, match=r"approvals\[2\], field 'decided_on'"):
        _load(data_dir)


def test_an_unknown_field_is_reported(data_dir):
    path = data_dir / "conditions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("icd10:", "icd11:"), encoding="utf-8")
    with pytest.raises(CommandError, match="field 'icd11': Condition has no such field"):
        _load(data_dir)


def test_dry_run_rolls_back(data_dir):
    _load(data_dir, dry_run=True)
    assert not Therapy.objects.exists()


def test_items_created_in_the_admin_are_left_alone(data_dir):
    from tests.factories import TherapyCategoryFactory

    editor_made = TherapyCategoryFactory(slug="editor-made")
    _load(data_dir)
    assert TherapyCategory.objects.filter(pk=editor_made.pk).exists()


def test_any_field_of_a_model_loads_by_its_name(data_dir):
    """The loader knows fields only through the models' `_meta`: a field new to the data (and
    named nowhere in the loader) loads without a loader edit, whatever its kind."""
    path = data_dir / "therapies.yaml"
    text = path.read_text(encoding="utf-8").replace("  cell_source: autologous\n", (
        "  cell_source: autologous\n"
        "  cell_type: {en: T cells, zh-hans: T细胞}\n"
        '  last_reviewed_on: "2024-05-01"\n'
        '  body: "**Binds** CD19."\n'
    )).replace("      pathway: standard\n", (
        "      pathway: standard\n"
        "      indication_text: {en: Relapsed B-cell ALL, zh-hans: 复发B细胞ALL}\n"
        "      events:\n"
        "        - kind: withdrawn\n"
        '          date: "2022-03"\n'
        "          details: {en: At the holder's request., zh-hans: 应持有人要求。}\n"
    ))
    path.write_text(text, encoding="utf-8")
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    loaded = (kymriah.cell_type_en, kymriah.cell_type_zh_hans, kymriah.last_reviewed_on.isoformat(), kymriah.body_html)
    assert loaded == ("T cells", "T细胞", "2024-05-01", "<p><strong>Binds</strong> CD19.</p>")
    fda = kymriah.approvals.get(regulator__slug="fda")
    event = fda.events.get()
    assert (fda.indication_text_zh_hans, fda.status, event.date.isoformat(), event.date_precision,
            event.details_zh_hans) == ("复发B细胞ALL", "withdrawn", "2022-03-01", "month", "应持有人要求。")
    assert kymriah.stage == "approved"  # its EU approval is still in force


# --- the loader never undoes what people did in the portal ---------------------------------

def _edit_in_the_portal(item, by, **fields):
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_by = by
    item.save()


def _change_data(folder, filename, old, new):
    path = folder / filename
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_archived_item_stays_archived(data_dir, publisher):
    _load(data_dir)
    Therapy.objects.get(slug="kymriah").transition("archived", by=publisher)
    _load(data_dir)
    assert Therapy.objects.get(slug="kymriah").status == "archived"


def test_an_unpublished_item_stays_a_draft_when_its_data_changes(data_dir, publisher):
    _load(data_dir)
    Therapy.objects.get(slug="kymriah").transition("draft", by=publisher)
    _change_data(data_dir, "therapies.yaml", "developer: {en: Novartis,", "developer: {en: Novartis AG,")
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    assert (kymriah.status, kymriah.developer_en) == ("draft", "Novartis AG")


def test_set_status_publishes_from_the_data_and_says_so_in_the_history(data_dir, publisher):
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    kymriah.transition("archived", by=publisher)
    _load(data_dir, set_status=True)
    assert Therapy.objects.get(slug="kymriah").status == "published"
    assert "--set-status" in Version.objects.get_for_object(kymriah).first().revision.comment


def test_an_edit_the_data_would_undo_stops_the_load_and_names_it(data_dir, editor):
    _load(data_dir)
    _edit_in_the_portal(Therapy.objects.get(slug="kymriah"), editor, generic_name_en="tisagenlecleucel (edited)")
    with pytest.raises(CommandError) as error:
        _load(data_dir)
    assert "therapies.yaml, record 1 (kymriah): generic_name changed by editor" in str(error.value)


def test_a_stopped_load_writes_nothing_at_all(data_dir, editor):
    _load(data_dir)
    _edit_in_the_portal(Therapy.objects.get(slug="kymriah"), editor, generic_name_en="edited")
    _change_data(data_dir, "categories.yaml", "免疫细胞疗法", "免疫细胞治疗")
    with pytest.raises(CommandError):
        _load(data_dir)
    assert TherapyCategory.objects.get(slug="immune-cell-therapy").name_zh_hans == "免疫细胞疗法"


def test_skip_edited_keeps_the_edit_loads_the_rest_and_says_so(data_dir, editor, capsys):
    _load(data_dir)
    _edit_in_the_portal(Therapy.objects.get(slug="kymriah"), editor, generic_name_en="edited")
    _change_data(data_dir, "categories.yaml", "免疫细胞疗法", "免疫细胞治疗")
    call_command("load_curated", data_dir=data_dir, skip_edited=True)
    assert Therapy.objects.get(slug="kymriah").generic_name_en == "edited"
    assert TherapyCategory.objects.get(slug="immune-cell-therapy").name_zh_hans == "免疫细胞治疗"
    assert "Kept as edited: therapies.yaml, record 1 (kymriah)" in capsys.readouterr().out


def test_an_edit_to_one_field_and_a_data_change_to_another_both_stand(data_dir, editor):
    _load(data_dir)
    _edit_in_the_portal(Therapy.objects.get(slug="kymriah"), editor, generic_name_en="edited")
    _change_data(data_dir, "therapies.yaml", "developer: {en: Novartis,", "developer: {en: Novartis AG,")
    _change_data(data_dir, "therapies.yaml", "generic_name: tisagenlecleucel", "generic_name: edited")
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    assert (kymriah.generic_name_en, kymriah.developer_en) == ("edited", "Novartis AG")


def test_an_edited_relation_is_kept_too(data_dir, editor):
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    kymriah.target_molecules.clear()
    with pytest.raises(CommandError, match="target_molecules"):
        _load(data_dir)


def test_overwrite_replaces_the_edit_and_says_so_in_the_history(data_dir, editor):
    _load(data_dir)
    kymriah = Therapy.objects.get(slug="kymriah")
    _edit_in_the_portal(kymriah, editor, generic_name_en="edited")
    _load(data_dir, overwrite=True)
    assert Therapy.objects.get(slug="kymriah").generic_name_en == "tisagenlecleucel"
    assert "--overwrite" in Version.objects.get_for_object(kymriah).first().revision.comment


def test_diff_prints_old_and_new_values_and_writes_nothing(data_dir, capsys):
    _load(data_dir)
    _change_data(data_dir, "therapies.yaml", "developer: {en: Novartis,", "developer: {en: Novartis AG,")
    call_command("load_curated", data_dir=data_dir, diff=True)
    assert "therapies.yaml, record 1 (kymriah), developer: ['Novartis', '诺华'] → ['Novartis AG', '诺华']" in (
        capsys.readouterr().out)
    assert Therapy.objects.get(slug="kymriah").developer_en == "Novartis"


def test_an_item_deleted_since_the_last_load_is_not_recreated(data_dir, capsys):
    _load(data_dir)
    PolicyDocument.objects.get().delete()
    call_command("load_curated", data_dir=data_dir)
    assert not PolicyDocument.objects.exists()
    assert "Not re-created: policies.yaml, record 1" in capsys.readouterr().out
