"""The condition page's answer, one function over the approvals (therapies.selectors.condition_answer)."""

import datetime

import pytest

from tests.factories import ApprovalEventFactory, ApprovalFactory, ConditionFactory, RegulatorFactory, TherapyFactory
from therapies.selectors import condition_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def lymphoma():
    """B-cell lymphoma, with large B-cell lymphoma below it and mantle cell lymphoma beside that."""
    broad = ConditionFactory(slug="b-cell-lymphoma", name_en="B-cell lymphoma")
    return {
        "broad": broad,
        "lbcl": ConditionFactory(slug="large-b-cell-lymphoma", parent=broad),
        "mcl": ConditionFactory(slug="mantle-cell-lymphoma", parent=broad),
    }


def names(products) -> list[str]:
    return [product.therapy.slug for product in products]


def test_an_approval_for_a_narrower_condition_counts_on_its_parent(lymphoma):
    ApprovalFactory(therapy=TherapyFactory(slug="kymriah"), condition=lymphoma["lbcl"])
    answer = condition_answer(lymphoma["broad"])
    assert answer.verdict == "approved"
    assert names(answer.approved) == ["kymriah"]


def test_a_sibling_condition_never_counts(lymphoma):
    ApprovalFactory(therapy=TherapyFactory(slug="tecartus"), condition=lymphoma["mcl"])
    answer = condition_answer(lymphoma["lbcl"])
    assert answer.verdict == "nothing"
    assert answer.approved == answer.no_longer == []


def test_an_approval_that_lapsed_was_approved_no_longer():
    heart = ConditionFactory(slug="ischaemic-heart-failure")
    approval = ApprovalFactory(therapy=TherapyFactory(slug="heartsheet"), condition=heart,
                               pathway="conditional_time_limited")
    ApprovalEventFactory(approval=approval, kind="lapsed", date=datetime.date(2024, 7, 1), date_precision="month")
    answer = condition_answer(heart)
    assert answer.verdict == "no_longer"
    assert names(answer.no_longer) == ["heartsheet"] and answer.approved == []


def test_a_suspended_approval_is_not_approved():
    knee = ConditionFactory(slug="knee-cartilage-defect")
    approval = ApprovalFactory(therapy=TherapyFactory(slug="maci"), condition=knee, agency="ema")
    ApprovalEventFactory(approval=approval, kind="suspended", date=datetime.date(2014, 11, 19), date_precision="day")
    assert condition_answer(knee).verdict == "no_longer"


def test_approved_in_one_region_only_names_that_region():
    gvhd = ConditionFactory(slug="graft-versus-host-disease")
    ApprovalFactory(therapy=TherapyFactory(slug="temcell"), condition=gvhd, agency="pmda")
    lapsed = ApprovalFactory(therapy=TherapyFactory(slug="prochymal"), condition=gvhd, agency="health_canada")
    ApprovalEventFactory(approval=lapsed, kind="lapsed", date=datetime.date(2020, 1, 1), date_precision="year")
    answer = condition_answer(gvhd)
    assert answer.verdict == "approved"
    assert [regulator.slug for regulator in answer.regulators] == ["pmda"]
    assert names(answer.approved) == ["temcell"] and names(answer.no_longer) == ["prochymal"]


def test_an_approval_without_a_condition_counts_nowhere_and_is_listed_for_editors():
    knee = ConditionFactory(slug="knee-osteoarthritis")
    product = TherapyFactory(slug="cartistem")
    product.conditions.add(knee)
    unlinked = ApprovalFactory(therapy=product, condition=None, agency="mfds")
    answer = condition_answer(knee)
    assert answer.verdict == "investigational"
    assert [therapy.slug for therapy in answer.investigational] == ["cartistem"]
    assert answer.unlinked == [unlinked]


def test_investigational_only_and_nothing_recorded():
    parkinson = ConditionFactory(slug="parkinson-disease")
    assert condition_answer(parkinson).verdict == "nothing"
    TherapyFactory(slug="dopaminergic-progenitors").conditions.add(parkinson)
    assert condition_answer(parkinson).verdict == "investigational"


def test_a_draft_product_or_regulator_is_not_counted(lymphoma):
    ApprovalFactory(therapy=TherapyFactory(status="draft"), condition=lymphoma["lbcl"])
    ApprovalFactory(condition=lymphoma["lbcl"], regulator=RegulatorFactory(slug="hidden", status="draft"))
    assert condition_answer(lymphoma["lbcl"]).verdict == "nothing"


def test_answer_takes_a_fixed_number_of_queries(lymphoma, django_assert_max_num_queries):
    for _ in range(6):
        ApprovalEventFactory(approval=ApprovalFactory(condition=lymphoma["lbcl"]), kind="withdrawn",
                             date=datetime.date(2020, 1, 1))
    condition_answer(lymphoma["broad"])  # the condition tree, once per content generation
    with django_assert_max_num_queries(2):
        condition_answer(lymphoma["broad"])
