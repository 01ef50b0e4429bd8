"""Prepared statements: built once with placeholders, run with new values, same rows as the ORM."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from portal import prepared
from portal.api.resources import resources
from portal.selectors import union_queryset
from tests.factories import (
    ApprovalEventFactory,
    ApprovalFactory,
    AuthorityFactory,
    ConditionFactory,
    MechanismFactory,
    MoleculeFactory,
    PolicyDocumentFactory,
    ReferenceFactory,
    TherapyCategoryFactory,
    TherapyFactory,
    TherapyMechanismFactory,
)
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
    ApprovalFactory(therapy=therapy, pathway="standard")
    ApprovalFactory(therapy=TherapyFactory(), pathway="conditional")

    def build(pk):
        parts = [(Approval.objects.filter(therapy=pk), ["pathway"]), (Therapy.objects.filter(pk=pk), ["slug"])]
        return union_queryset(parts)  # its parts are read with rewriting off

    prepared.prepared_rows("union", build, pk=0)
    assert prepared.prepared_rows("union", build, pk=therapy.pk) == [(0, 1, "standard"), (1, 1, therapy.slug)]


def test_columns_get_the_orm_converters():
    ApprovalFactory(decided_on=datetime.date(2017, 8, 30))
    rows = prepared.prepared_rows("dates", lambda pathway: Approval.objects.rewrite(False).filter(pathway=pathway)
                                  .values_list("decided_on"), pathway="standard")
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


# --- The production statements are really prepared and reused --------------------------------
# Every statement that a published-only API detail and the therapy page run goes through
# `prepared_rows`. If a Django upgrade trips one of `_prepare`'s guards (the column order of
# `query.selected`, placeholders matched to params), the answers stay right and only the speed
# goes: these tests turn that into a failure.

FACTORIES = {
    factory._meta.model: factory
    for factory in (TherapyCategoryFactory, TherapyFactory, ConditionFactory, MechanismFactory, MoleculeFactory,
                    PolicyDocumentFactory, AuthorityFactory, ReferenceFactory, ApprovalFactory)
}


class Spy:
    """Counts SQLCompiler.as_sql calls (a queryset being compiled) and the prepared statements run."""

    def __init__(self, monkeypatch):
        self.compiled, self.ran = [], []
        as_sql, run = SQLCompiler.as_sql, prepared.Prepared.run

        def spied_as_sql(compiler, *args, **kwargs):
            sql, params = as_sql(compiler, *args, **kwargs)
            self.compiled.append(sql)
            return sql, params

        def spied_run(statement, values):
            self.ran.append(statement)
            return run(statement, values)

        monkeypatch.setattr(SQLCompiler, "as_sql", spied_as_sql)
        monkeypatch.setattr(prepared.Prepared, "run", spied_run)


def get_twice(client, url, monkeypatch):
    """Warm `url` (statements prepared), then request it again with the page cache emptied
    and a spy on: the second request is the one a warmed worker answers."""
    assert client.get(url).status_code == 200
    statements = dict(prepared._prepared)
    cache.clear()
    spy = Spy(monkeypatch)
    assert client.get(url).status_code == 200
    return statements, spy


def assert_reused(statements, spy):
    assert statements, "nothing went through prepared_rows"
    unprepared = [key for key, statement in statements.items() if statement is None]
    assert not unprepared, f"these statements fell back to the ORM: {unprepared}"
    assert {id(statement) for statement in statements.values()} <= {id(statement) for statement in spy.ran}
    assert not {statement.sql for statement in statements.values()} & set(spy.compiled), "a statement was recompiled"


def rich_therapy():
    therapy = TherapyFactory(references=[ReferenceFactory()])
    approval = ApprovalFactory(therapy=therapy)
    ApprovalEventFactory(approval=approval)
    TherapyMechanismFactory(therapy=therapy).molecules.add(MoleculeFactory())
    therapy.conditions.add(ConditionFactory())
    PolicyDocumentFactory().therapies.add(therapy)
    return therapy


@pytest.mark.parametrize("prefix, viewset, basename", resources(), ids=[row[0] for row in resources()])
def test_every_api_detail_runs_prepared_statements_once_warm(client, monkeypatch, prefix, viewset, basename):
    model = viewset.filterset_class.Meta.model
    instance = rich_therapy() if model is Therapy else FACTORIES[model]()
    statements, spy = get_twice(client, reverse(f"api:{basename}-detail", args=[instance.slug]), monkeypatch)
    assert_reused(statements, spy)
    # Nothing else is compiled either: the whole detail is prepared statements.
    assert spy.compiled == []


def test_the_therapy_page_runs_prepared_statements_once_warm(client, monkeypatch):
    therapy = rich_therapy()
    statements, spy = get_twice(client, f"/en/therapies/{therapy.slug}/", monkeypatch)
    assert_reused(statements, spy)


def test_modeltranslation_marks_rewriting_querysets_with_rewrite():
    """`_prepare` reads this private flag to leave rewriting querysets alone."""
    assert Therapy.objects.all()._rewrite is True
    assert Therapy.objects.rewrite(False)._rewrite is False


# --- Server-side statements (PostgreSQL) ------------------------------------------------------
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def server_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'portal_%%'")
        return {name for (name,) in cursor.fetchall()}


@on_postgresql
def test_a_statement_is_prepared_on_the_server_once_and_then_executed_by_name(django_assert_num_queries):
    first, second = TherapyFactory(), TherapyFactory()
    before = server_statements()
    with django_assert_num_queries(1):  # the PREPARE is not the request's query
        rows = prepared.prepared_rows("t", therapy_by_slug, slug=first.slug)
    assert rows == list(therapy_by_slug(first.slug))
    added = server_statements() - before
    assert len(added) == 1
    with django_assert_num_queries(1) as captured:
        rows = prepared.prepared_rows("t", therapy_by_slug, slug=second.slug)
    assert rows == list(therapy_by_slug(second.slug))
    assert captured.captured_queries[0]["sql"].startswith(f"EXECUTE {added.pop()} (")


@on_postgresql
def test_a_statement_the_server_refuses_runs_as_usual_and_the_transaction_goes_on():
    """A text value compared with an integer column: psycopg2's literal is coerced, a
    declared text parameter is not; the refusal is undone to its savepoint."""
    therapy = TherapyFactory()

    def build(pk):
        where = ['"therapies_therapy"."id" = %s']
        # The value is a bound parameter; `extra` only gives the comparison its text type.
        return Therapy.objects.rewrite(False).extra(where=where, params=[pk]).values_list("slug")  # noqa: S610

    before = server_statements()
    assert prepared.prepared_rows("extra", build, pk=str(therapy.pk)) == [(therapy.slug,)]
    assert server_statements() == before
    assert Therapy.objects.filter(pk=therapy.pk).exists()  # the transaction is still usable
    assert prepared.prepared_rows("extra", build, pk=str(therapy.pk)) == [(therapy.slug,)]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_its_statements_again():
    therapy = TherapyFactory()
    prepared.prepared_rows("t", therapy_by_slug, slug=therapy.slug)
    connection.close()
    assert prepared.prepared_rows("t", therapy_by_slug, slug=therapy.slug) == list(therapy_by_slug(therapy.slug))


@on_postgresql
@override_settings(SERVER_PREPARED_STATEMENTS=False)
def test_behind_a_pooler_nothing_is_prepared_on_the_server():
    therapy = TherapyFactory()
    before = server_statements()
    assert prepared.prepared_rows("t", therapy_by_slug, slug=therapy.slug) == list(therapy_by_slug(therapy.slug))
    assert server_statements() == before
