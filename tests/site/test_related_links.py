"""`load_links`: several related lists of a page in one query, each exactly as its own query
would return it (published only, in its own order, in the page's language)."""

import datetime

import pytest
from django.utils import translation

from policies.models import PolicyDocument
from portal.selectors import Links, load_links, load_rows, set_prefetched
from tests.factories import (
    ApprovalFactory,
    ConditionFactory,
    MoleculeFactory,
    PolicyDocumentFactory,
    TherapyFactory,
)
from therapies.models import Condition, Molecule, Therapy
from therapies.selectors import THERAPY_APPROVALS

pytestmark = pytest.mark.django_db


@pytest.fixture
def therapy():
    """A modality whose related items sort differently in English and in Chinese, with drafts."""
    therapy = TherapyFactory(kind="modality")
    therapy.conditions.add(
        ConditionFactory(name_en="Alpha disease", name_zh_hans="乙病"),
        ConditionFactory(name_en="Beta disease", name_zh_hans="甲病"),
        ConditionFactory(name_en="Aardvark disease", status="draft"),
    )
    therapy.target_molecules.add(MoleculeFactory(symbol="CD19"), MoleculeFactory(symbol="BCMA"),
                                 MoleculeFactory(symbol="AAA1", status="draft"))
    for issued_on in (datetime.date(2019, 1, 1), None, datetime.date(2023, 1, 1)):
        PolicyDocumentFactory(issued_on=issued_on).therapies.add(therapy)
    PolicyDocumentFactory(status="draft").therapies.add(therapy)
    TherapyFactory(name_en="Zeta product", modality=therapy)
    TherapyFactory(name_en="Eta product", modality=therapy)
    return therapy


def relations(therapy):
    return [
        Links("linked_conditions", Condition, "therapies", ("name",)),
        Links("linked_targets", Molecule, "targeted_by", ("symbol",)),
        Links("linked_policies", PolicyDocument, "therapies", ("title",)),
        Links("linked_products", Therapy, "modality", ("name",)),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_list_is_what_its_own_query_returns(therapy, language, django_assert_num_queries):
    with translation.override(language):
        with django_assert_num_queries(1):
            load_links(therapy, relations(therapy))
        for relation in relations(therapy):
            assert getattr(therapy, relation.attr) == list(relation.queryset(therapy.pk)), relation.attr


def test_lists_hold_no_drafts_and_keep_their_order(therapy):
    load_links(therapy, relations(therapy))
    assert [c.name for c in therapy.linked_conditions] == ["Alpha disease", "Beta disease"]
    assert [m.symbol for m in therapy.linked_targets] == ["BCMA", "CD19"]
    newest_first = [datetime.date(2023, 1, 1), datetime.date(2019, 1, 1), None]
    assert [p.issued_on for p in therapy.linked_policies] == newest_first
    assert [p.name for p in therapy.linked_products] == ["Eta product", "Zeta product"]


def test_items_carry_their_translations_and_links_without_more_queries(therapy, django_assert_num_queries):
    load_links(therapy, relations(therapy))
    with django_assert_num_queries(0), translation.override("zh-hans"):
        assert [c.name for c in therapy.linked_conditions] == ["乙病", "甲病"]
        assert therapy.linked_products[0].get_absolute_url() == f"/zh-hans/therapies/{therapy.linked_products[0].slug}/"
        assert all(c.is_published for c in therapy.linked_conditions)


def test_fields_not_loaded_are_deferred_not_wrong(therapy):
    load_links(therapy, relations(therapy))
    condition = therapy.linked_conditions[0]
    assert "icd10" in condition.get_deferred_fields()
    assert condition.icd10 == "M17"  # loaded on access


def test_an_empty_relation_is_an_empty_list(db):
    lonely = TherapyFactory()
    load_links(lonely, relations(lonely))
    assert lonely.linked_conditions == [] and lonely.linked_products == []


def test_a_single_relation_needs_no_union(therapy, django_assert_num_queries):
    with django_assert_num_queries(1):
        load_links(therapy, relations(therapy)[:1])
    assert [c.name for c in therapy.linked_conditions] == ["Alpha disease", "Beta disease"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_named_links_are_prepared_once_and_right_for_every_object(therapy, language):
    other = TherapyFactory(kind="modality")
    other.conditions.add(ConditionFactory(name_en="Gamma disease"))
    with translation.override(language):
        for obj in (therapy, other, therapy):
            load_links(obj, relations(obj), name="test-links")
            for relation in relations(obj):
                assert getattr(obj, relation.attr) == list(relation.queryset(obj.pk)), relation.attr


def test_rows_come_with_their_joined_objects_in_their_order(db, django_assert_num_queries):
    therapy = TherapyFactory()
    knee = ConditionFactory(name_en="Knee osteoarthritis", name_zh_hans="膝骨关节炎")
    ApprovalFactory(therapy=therapy, condition=knee, decided_on=datetime.date(2019, 5, 1))
    ApprovalFactory(therapy=therapy, condition=None, decided_on=datetime.date(2017, 8, 30))
    ApprovalFactory(decided_on=datetime.date(2018, 1, 1))  # another therapy's
    with django_assert_num_queries(1):
        approvals = load_rows("test-approvals", THERAPY_APPROVALS, therapy.pk)
    with django_assert_num_queries(0), translation.override("zh-hans"):
        assert [approval.decided_on.year for approval in approvals] == [2017, 2019]
        assert approvals[0].condition is None
        assert (approvals[1].condition.name, approvals[1].condition.is_published) == ("膝骨关节炎", True)
        assert approvals[1].status == "active" and approvals[1].listed_events == []


def test_prefetched_rows_answer_the_relation_from_memory(db, django_assert_num_queries):
    therapy = TherapyFactory()
    ApprovalFactory(therapy=therapy)
    set_prefetched(therapy, "approvals", load_rows("test-approvals", THERAPY_APPROVALS, therapy.pk))
    with django_assert_num_queries(0):
        assert len(therapy.approvals.all()) == 1
