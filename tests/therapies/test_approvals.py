"""Approvals: status from the events, the stage it gives its product, their slugs and rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    ApprovalEventFactory,
    ApprovalFactory,
    AuthorityFactory,
    ConditionFactory,
    TherapyFactory,
)
from therapies.models import Approval, Therapy

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2015, 9, 18)


def status_after(*events) -> str:
    """The status of an approval decided in 2015 after `events` (kind, date[, precision])."""
    approval = ApprovalFactory(decided_on=DECIDED, decided_on_precision="day")
    for position, (kind, day, *precision) in enumerate(events):
        ApprovalEventFactory(approval=approval, kind=kind, date=day, date_precision=(precision or ["day"])[0],
                             position=position)
    return Approval.objects.get(pk=approval.pk).status


D = datetime.date


@pytest.mark.parametrize(("events", "expected"), [
    ((), "active"),
    ((("granted", D(2015, 9, 18)),), "active"),
    ((("boxed_warning_added", D(2018, 1, 1)), ("rems_removed", D(2020, 1, 1))), "active"),
    ((("indication_extended", D(2018, 1, 1)),), "active"),
    ((("suspended", D(2016, 1, 1)),), "suspended"),
    ((("suspended", D(2016, 1, 1)), ("reinstated", D(2017, 1, 1))), "active"),
    ((("suspended", D(2016, 1, 1)), ("expired", D(2018, 7, 1))), "expired"),
    ((("lapsed", D(2020, 1, 1)),), "lapsed"),
    ((("withdrawn", D(2020, 1, 1)),), "withdrawn"),
    ((("revoked", D(2020, 1, 1)),), "revoked"),
    ((("discontinued", D(2020, 1, 1)),), "discontinued"),
    ((("lapsed", D(2020, 1, 1)), ("renewed", D(2021, 1, 1))), "active"),
    ((("converted_to_standard", D(2019, 1, 1)), ("withdrawn", D(2022, 1, 1))), "withdrawn"),
    # the order of the dates decides, not the order of entry
    ((("withdrawn", D(2022, 1, 1)), ("converted_to_standard", D(2019, 1, 1))), "withdrawn"),
    # a safety change after a withdrawal does not bring it back
    ((("withdrawn", D(2020, 1, 1)), ("boxed_warning_added", D(2021, 1, 1))), "withdrawn"),
    # known to the year only: the lapse in 2024 counts after a sales stop dated 2024-07-20
    ((("discontinued", D(2024, 7, 20)), ("lapsed", D(2024, 1, 1), "year")), "lapsed"),
    # same day: the editors' order
    ((("suspended", D(2016, 1, 1)), ("reinstated", D(2016, 1, 1))), "active"),
])
def test_status_follows_the_latest_status_setting_event(events, expected):
    assert status_after(*events) == expected


def test_status_is_a_filterable_value_of_every_approval_read():
    withdrawn = ApprovalFactory(withdrawn_on=D(2019, 3, 1))
    active = ApprovalFactory()
    assert list(Approval.objects.filter(status="withdrawn")) == [withdrawn]
    assert list(Approval.objects.filter(status="active")) == [active]


def test_a_product_is_approved_while_one_approval_is_in_force():
    therapy = TherapyFactory(stage="phase_3")
    first = ApprovalFactory(therapy=therapy)
    assert Therapy.objects.get(pk=therapy.pk).stage == "approved"
    ApprovalEventFactory(approval=first, kind="lapsed", date=D(2024, 7, 1))
    assert Therapy.objects.get(pk=therapy.pk).stage == "withdrawn"
    ApprovalFactory(therapy=therapy, agency="ema")
    assert Therapy.objects.get(pk=therapy.pk).stage == "approved"


def test_a_draft_regulators_approval_makes_no_product_approved_until_it_is_published():
    therapy = TherapyFactory(stage="phase_3")
    regulator = AuthorityFactory(is_regulator=True, status="draft")
    ApprovalFactory(therapy=therapy, regulator=regulator)
    assert Therapy.objects.get(pk=therapy.pk).stage == "phase_3"
    regulator.status = "published"
    regulator.save()
    assert Therapy.objects.get(pk=therapy.pk).stage == "approved"


def test_a_stage_without_approvals_is_the_editors():
    therapy = TherapyFactory(stage="phase_2")
    therapy.save()
    assert Therapy.objects.get(pk=therapy.pk).stage == "phase_2"


def test_saving_a_product_keeps_the_stage_its_approvals_give():
    therapy = TherapyFactory()
    ApprovalFactory(therapy=therapy, withdrawn_on=D(2020, 1, 1))
    therapy.refresh_from_db()
    therapy.stage = "approved"
    therapy.save()
    assert Therapy.objects.get(pk=therapy.pk).stage == "withdrawn"


def test_an_event_before_the_decision_is_refused():
    approval = ApprovalFactory(decided_on=D(2020, 1, 1), decided_on_precision="day")
    event = ApprovalEventFactory.build(approval=approval, kind="withdrawn", date=D(2019, 1, 1), reference=None)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "before the decision" in str(error.value.message_dict["date"])


def test_an_event_in_the_future_is_refused():
    event = ApprovalEventFactory.build(approval=ApprovalFactory(), kind="expired", reference=None,
                                       date=timezone.localdate() + datetime.timedelta(days=40), date_precision="day")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date" in error.value.message_dict


def test_only_a_regulator_decides():
    approval = ApprovalFactory.build(therapy=TherapyFactory(), condition=None, regulator=AuthorityFactory())
    with pytest.raises(ValidationError) as error:
        approval.full_clean()
    assert "regulator" in error.value.message_dict


def test_slug_says_what_the_approval_is_and_stays_unique():
    therapy = TherapyFactory(slug="kymriah")
    lbcl = ConditionFactory(slug="large-b-cell-lymphoma")
    first = ApprovalFactory(therapy=therapy, condition=lbcl, decided_on=D(2018, 5, 1), decided_on_precision="day")
    second = ApprovalFactory(therapy=therapy, condition=lbcl, decided_on=D(2018, 6, 1), decided_on_precision="day")
    assert first.slug == "kymriah-fda-large-b-cell-lymphoma-2018"
    assert second.slug == "kymriah-fda-large-b-cell-lymphoma-2018-2"


def test_jurisdiction_is_the_regulators():
    assert ApprovalFactory(agency="nmpa").jurisdiction == "CN"


def test_condition_tree_refuses_cycles():
    root = ConditionFactory()
    child = ConditionFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as error:
        root.full_clean()
    assert "cycle" in str(error.value.message_dict["parent"])
