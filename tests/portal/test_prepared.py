"""Prepared statements: built once with placeholders, run with new values, same rows as the ORM."""

import datetime

import pytest
from django.test import override_settings
from django.utils import translation

from portal import prepared
from portal.selectors import union_queryset
from tests.factories import ApprovalFactory, TherapyFactory
from therapies.models import Approval, Therapy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_statements():
    prepared._prepared.clear()
    yield
    prepared._prepared.clear()


def therapy_by_slug(slug):
    return Therapy.objects.rewrite(False).filter(slug=slug).values_list("id", "slug", "name_en")


def test_rows_are_those_of_the_orm_for_each_new_value():
    first, second = TherapyFactory(), TherapyFactory()
    for therapy in (first, second, first):
        assert prepared.prepared_rows("t", therapy_by_slug, slug=therapy.slug) == list(therapy_by_slug(therapy.slug))


def test_the_statement_is_built_once_per_key():
    therapy = TherapyFactory()
    built = []

    def build(slug):
        built.append(slug)
        return therapy_by_slug(slug)

    prepared.prepared_rows("t", build, slug=therapy.slug)
    prepared.prepared_rows("t", build, slug="other")
    prepared.prepared_rows("u", build, slug="other")
    assert len(built) == 2 and therapy.slug not in built  # once per key, with a placeholder


def test_a_value_used_several_times_is_swapped_everywhere():
    therapy = TherapyFactory()
    ApprovalFactory(therapy=therapy, agency="fda")
    ApprovalFactory(therapy=TherapyFactory(), agency="ema")

    def build(pk):
        parts = [(Approval.objects.filter(therapy=pk), ["agency"]), (Therapy.objects.filter(pk=pk), ["slug"])]
        return union_queryset(parts)  # its parts are read with rewriting off

    prepared.prepared_rows("union", build, pk=0)
    assert prepared.prepared_rows("union", build, pk=therapy.pk) == [(0, 1, "fda"), (1, 1, therapy.slug)]


def test_columns_get_the_orm_converters():
    ApprovalFactory(decided_on=datetime.date(2017, 8, 30))
    rows = prepared.prepared_rows("dates", lambda agency: Approval.objects.rewrite(False).filter(agency=agency)
                                  .values_list("decided_on"), agency="fda")
    assert rows == [(datetime.date(2017, 8, 30),)]
    assert prepared._prepared


def test_a_queryset_modeltranslation_rewrites_is_run_as_usual():
    """Its rows get language fallbacks in Python, which a raw statement would not."""
    therapy = TherapyFactory(name_zh_hans="")

    def build(slug):
        return Therapy.objects.filter(slug=slug).values_list("slug", "name")

    with translation.override("zh-hans"):
        assert prepared.prepared_rows("t", build, slug=therapy.slug) == [(therapy.slug, therapy.name_en)]
    assert list(prepared._prepared.values()) == [None]


def test_a_value_the_statement_transforms_is_not_prepared():
    therapy = TherapyFactory()
    rows = prepared.prepared_rows("plus", lambda pk: Therapy.objects.rewrite(False).filter(pk=pk + 1)
                                  .values_list("slug"), pk=therapy.pk - 1)
    assert rows == [(therapy.slug,)]
    assert list(prepared._prepared.values()) == [None]  # remembered, so it is not tried again


def test_without_a_key_nothing_is_kept():
    therapy = TherapyFactory()
    assert prepared.prepared_rows(None, therapy_by_slug, slug=therapy.slug) == list(therapy_by_slug(therapy.slug))
    assert prepared._prepared == {}


def test_a_language_change_forgets_every_statement():
    prepared.prepared_rows("t", therapy_by_slug, slug="x")
    with override_settings(LANGUAGES=[("en", "English")]):
        assert prepared._prepared == {}
