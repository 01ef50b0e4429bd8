"""load_curated: the whole dataset in one transaction, idempotent, precise about bad records."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision

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
