import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ApprovalFactory, MoleculeFactory, TherapyCategoryFactory, TherapyFactory

pytestmark = pytest.mark.django_db


def test_category_cannot_be_its_own_parent():
    category = TherapyCategoryFactory()
    category.parent = category
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert "own parent" in str(error.value.message_dict["parent"])


def test_category_tree_refuses_cycles():
    root = TherapyCategoryFactory()
    child = TherapyCategoryFactory(parent=root)
    grandchild = TherapyCategoryFactory(parent=child)
    root.parent = grandchild
    with pytest.raises(ValidationError) as error:
        root.full_clean()
    assert "cycle" in str(error.value.message_dict["parent"])


def test_descendant_ids_walk_the_whole_subtree(django_assert_num_queries):
    root = TherapyCategoryFactory()
    child = TherapyCategoryFactory(parent=root)
    grandchild = TherapyCategoryFactory(parent=child)
    TherapyCategoryFactory()  # unrelated
    with django_assert_num_queries(1):
        ids = type(root).objects.descendant_ids(root)
    assert sorted(ids) == sorted([root.pk, child.pk, grandchild.pk])


def test_approval_with_month_precision_must_start_the_month():
    approval = ApprovalFactory.build(
        therapy=TherapyFactory(), condition=None, decided_on=datetime.date(2018, 8, 27), decided_on_precision="month"
    )
    with pytest.raises(ValidationError) as error:
        approval.full_clean()
    assert "decided_on" in error.value.message_dict


def test_approval_is_shown_only_as_precisely_as_known():
    approval = ApprovalFactory(decided_on=datetime.date(2018, 8, 1), decided_on_precision="month")
    assert (approval.decided_on_iso, approval.decided_on_display) == ("2018-08", "2018-08")


@pytest.mark.parametrize(
    ("field", "value"),
    [("uniprot", "12345"), ("hgnc_id", "5464"), ("ncbi_gene_id", "IGF1")],
)
def test_molecule_identifiers_are_validated(field, value):
    molecule = MoleculeFactory.build(**{field: value})
    with pytest.raises(ValidationError) as error:
        molecule.full_clean()
    assert field in error.value.message_dict


def test_valid_molecule_identifiers_pass():
    MoleculeFactory.build(symbol="IGF1", uniprot="P05019", hgnc_id="HGNC:5464", ncbi_gene_id="3479").full_clean()


def test_condition_icd10_is_validated():
    from tests.factories import ConditionFactory

    with pytest.raises(ValidationError) as error:
        ConditionFactory.build(icd10="knee").full_clean()
    assert "icd10" in error.value.message_dict


def test_a_modality_cannot_belong_to_a_modality():
    modality = TherapyFactory(kind="modality")
    other = TherapyFactory.build(kind="modality", modality=modality, category=modality.category)
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "modality" in error.value.message_dict
