import pytest

from policies.models import PolicyDocument
from policies.seeding import ZH_WORDS, SeedPlan, clear_seeded, seed_demo
from tests.factories import TherapyFactory
from therapies.models import Approval, Therapy

pytestmark = pytest.mark.django_db

SMALL = SeedPlan(therapies=40, policies=60, draft_share=0.25, seed=7)


def test_seeds_the_requested_amounts_with_relations():
    seed_demo(SMALL)
    assert Therapy.objects.filter(slug__startswith="demo-").count() == 40
    assert PolicyDocument.objects.filter(slug__startswith="demo-").count() == 60
    assert Approval.objects.exists()
    assert PolicyDocument.objects.filter(authorities__isnull=True).count() == 0


def test_a_share_of_seeded_items_are_drafts():
    seed_demo(SMALL)
    drafts = PolicyDocument.objects.filter(status="draft").count()
    assert 0 < drafts < 60


def test_seeded_text_is_bilingual_with_real_chinese_words():
    seed_demo(SMALL)
    policy = PolicyDocument.objects.first()
    assert policy.summary_en and policy.summary_en.isascii()
    assert sum(word in policy.summary_zh_hans for word in ZH_WORDS) >= 3


def test_same_seed_gives_the_same_content():
    seed_demo(SMALL)
    first = list(Therapy.objects.order_by("slug").values_list("name_en", "stage", "status"))
    seed_demo(SMALL)
    assert list(Therapy.objects.order_by("slug").values_list("name_en", "stage", "status")) == first


def test_clearing_removes_only_seeded_rows():
    curated = TherapyFactory(slug="kymriah")
    seed_demo(SMALL)
    clear_seeded()
    assert list(Therapy.objects.all()) == [curated]
