"""The rows path answers exactly what the declared serializers say, field for field.

Reads are answered from rows shaped by plans compiled from each resource's serializers
(portal/api/rows.py); the serializers themselves validate writes and document responses.
For every resource, list, brief list and detail, both languages, the public and an editor
who sees drafts, both ways of reading must give the same JSON. The objects compared are
one with every optional field filled (factories fill them all; partial dates of each
precision; every nullable foreign key set) and one with every optional field emptied, each
with related rows of every kind, some of them drafts. `assert_same_json` is the comparison;
the last tests prove that it fails when a field is read on one side only.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from portal.api.reads import Reader, Resource
from portal.api.resources import resources
from portal.api.rows import plan_for
from portal.models import EditorialModel
from tests import factories as f
from tests.api.conftest import RESOURCES
from therapies.api.serializers import TherapyCompactSerializer, TherapyListSerializer, TherapySerializer
from therapies.models import Therapy

pytestmark = pytest.mark.django_db

VIEWSETS = {prefix: viewset for prefix, viewset, _basename in resources()}
FACTORIES = {factory._meta.model: factory for factory in vars(f).values()
             if isinstance(factory, type) and issubclass(factory, f.factory.django.DjangoModelFactory)
             and not factory._meta.abstract}


def as_json(data) -> object:
    return json.loads(JSONRenderer().render(data))


def request_as(user):
    request = Request(RequestFactory().get("/api/v1/"))
    request.user = user
    return request


def assert_same_json(reader_data, serializer_data) -> None:
    """Equal JSON, and the keys compared are the keys declared (no empty dict equals another)."""
    got, expected = as_json(reader_data), as_json(serializer_data)
    assert got == expected


def fill_foreign_keys(obj) -> None:
    """Point every empty nullable foreign key of `obj` at a new published object."""
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.null and getattr(obj, field.attname) is None:
            factory = FACTORIES.get(field.related_model)
            if factory is not None and field.name not in ("created_by", "updated_by"):
                setattr(obj, field.name, factory())
    obj.save()


def draft_one_of_each_related_model(resource_model) -> None:
    """Turn the first row of every other curated model into a draft."""
    # Rows public with a parent (approvals with their therapy) keep that parent public.
    parent = resource_model._meta.get_field("therapy").related_model if resource_model.__name__ == "Approval" else None
    for model in apps.get_models():
        if issubclass(model, EditorialModel) and model not in (resource_model, parent):
            rows = model.objects.order_by("pk")
            if model.__name__ == "Authority":  # regulators stay public, so approvals show
                rows = rows.filter(is_regulator=False)
            first = rows.values("pk")[:1]
            model.objects.filter(pk__in=first).update(status="draft")


@pytest.fixture(params=["anonymous", "editor"])
def reader_user(request, db):
    return AnonymousUser() if request.param == "anonymous" else request.getfixturevalue("editor")


@pytest.fixture(params=["en", "zh-hans"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.fixture(params=RESOURCES, ids=str)
def world(request):
    """A full and an emptied object of the resource, each with two related rows of every kind."""
    resource = request.param
    viewset = VIEWSETS[resource.prefix]
    model = viewset.filterset_class.Meta.model
    full, sparse = resource.factory(), resource.factory()
    fill_foreign_keys(full)
    # A reference needs one locator (a database constraint): it keeps its URL.
    f.clear_optional(sparse, keep=("url",) if model.__name__ == "Reference" else ())
    for obj in (full, sparse):
        resource.add_related(obj, 2)
    if model.__name__ == "Therapy":
        for precision in f.PRECISIONS:
            f.ApprovalFactory(therapy=full, decided_on_precision=precision)
        f.ApprovalFactory(therapy=full, withdrawn_on=datetime.date(2019, 3, 1))
        f.ApprovalEventFactory(approval=full.approvals.first())
    draft_one_of_each_related_model(model)
    return viewset, model, [full, sparse]


def test_list_items_match_the_list_serializer(world, reader_user, language):
    viewset, model, _objects = world
    request = request_as(reader_user)
    queryset = model.objects.visible_to(reader_user)
    reader = Reader(request, viewset.resource())
    expected = viewset.list_serializer_class(queryset, many=True, context={"request": request}).data
    assert_same_json(reader.items(reader.list_rows(queryset)), expected)


def test_brief_items_match_the_compact_serializer(world, reader_user, language):
    viewset, model, _objects = world
    request = request_as(reader_user)
    queryset = model.objects.visible_to(reader_user)
    reader = Reader(request, viewset.resource())
    expected = viewset.brief_serializer_class(queryset, many=True, context={"request": request}).data
    assert_same_json(reader.brief_items(reader.brief_rows(queryset)), expected)


def test_detail_matches_the_serializer(world, reader_user, language):
    viewset, model, objects = world
    request = request_as(reader_user)
    for obj in objects:
        obj.refresh_from_db()
        expected = viewset.serializer_class(obj, context={"request": request}).data
        detail = Reader(request, viewset.resource()).retrieve(model.objects.visible_to(reader_user), obj.slug)
        assert_same_json(detail, expected)


def test_the_full_object_fills_every_field_it_declares(world, language, editor):
    """The comparison is only as good as its data: every field of the full object's detail,
    as an editor (who sees the drafts) reads it, has a value, and no list is empty."""
    viewset, model, objects = world
    detail = Reader(request_as(editor), viewset.resource()).retrieve(model.objects.visible_to(editor),
                                                                    objects[0].slug)
    assert [name for name, value in detail.items() if value in (None, "", [])] == []


def test_the_sparse_object_reads_its_blanks_and_nulls(world, language):
    viewset, model, objects = world
    detail = Reader(request_as(AnonymousUser()), viewset.resource()).retrieve(model.objects.published(),
                                                                             objects[1].slug)
    assert detail.get("published_at") is None
    assert any(value == "" for value in detail.values()) or model.__name__ == "Reference"


@pytest.mark.parametrize("world", [r for r in RESOURCES if r.prefix == "therapies"], ids=str, indirect=True)
def test_approvals_of_every_date_precision_are_compared(world):
    """Approvals cycle through the four precisions; one is withdrawn by an event known to the
    month, which its own resource lists."""
    viewset, model, objects = world
    detail = Reader(request_as(AnonymousUser()), viewset.resource()).retrieve(model.objects.published(),
                                                                             objects[0].slug)
    assert {approval["decided_on_precision"] for approval in detail["approvals"]} == set(f.PRECISIONS)
    withdrawn = next(approval for approval in detail["approvals"] if approval["status"] == "withdrawn")
    approvals = VIEWSETS["approvals"]
    own = Reader(request_as(AnonymousUser()), approvals.resource()).retrieve(
        approvals.filterset_class.Meta.model.objects.published(), withdrawn["slug"])
    assert [(e["kind"], e["date"], e["date_precision"]) for e in own["events"]] == [("withdrawn", "2019-03", "month")]


def test_each_mechanism_link_reads_its_own_molecules(language):
    """Nested rows come with the therapy's UNION ALL, keyed by the mechanism: a molecule two
    links share shows under both, two molecules keep their order, a draft shows under none."""
    therapy = f.TherapyFactory()
    shared, first, second = (f.MoleculeFactory(symbol=s) for s in ("CD3Z", "CD19", "TNFRSF9"))
    draft = f.MoleculeFactory(symbol="AAA", status="draft")
    f.TherapyMechanismFactory(therapy=therapy, position=0).molecules.add(shared, second, first, draft)
    f.TherapyMechanismFactory(therapy=therapy, position=1).molecules.add(shared)
    f.TherapyMechanismFactory(therapy=f.TherapyFactory(), position=0).molecules.add(first)
    request = request_as(AnonymousUser())
    detail = Reader(request, VIEWSETS["therapies"].resource()).retrieve(type(therapy).objects.published(), therapy.slug)
    assert [[m["symbol"] for m in link["molecules"]] for link in detail["mechanisms"]] == [
        ["CD19", "CD3Z", "TNFRSF9"], ["CD3Z"]]
    therapy.refresh_from_db()
    assert_same_json(detail, TherapySerializer(therapy, context={"request": request}).data)


def test_a_list_page_attaches_nested_rows_to_their_own_owner():
    """On a page the same mechanism is linked from several therapies: each link gets its own
    therapy's molecules (a list whose items show mechanism links, as the detail does)."""
    mechanism = f.MechanismFactory()
    for symbol in ("CD19", "BCMA"):
        f.TherapyMechanismFactory(therapy=f.TherapyFactory(), mechanism=mechanism).molecules.add(
            f.MoleculeFactory(symbol=symbol))
    request = request_as(AnonymousUser())
    reader = Reader(request, Resource(TherapyMechanismsSerializer, TherapySerializer, TherapyCompactSerializer))
    therapies = Therapy.objects.published()
    items = reader.items(reader.list_rows(therapies))
    assert sorted(item["mechanisms"][0]["molecules"][0]["symbol"] for item in items) == ["BCMA", "CD19"]
    assert_same_json(items, TherapyMechanismsSerializer(therapies, many=True, context={"request": request}).data)


class TherapyMechanismsSerializer(TherapySerializer):
    class Meta(TherapySerializer.Meta):
        fields = ("slug", "mechanisms")


# --- the comparison fails when the two sides differ ----------------------------------------
class IncompleteTherapySerializer(TherapySerializer):
    """A deliberately incomplete declaration: `developer` is left out."""

    class Meta(TherapySerializer.Meta):
        fields = tuple(name for name in TherapySerializer.Meta.fields if name != "developer")


def test_a_field_read_on_one_side_only_fails_the_comparison(language):
    therapy = f.TherapyFactory()
    request = request_as(AnonymousUser())
    incomplete = Resource(TherapyListSerializer, IncompleteTherapySerializer, TherapyCompactSerializer)
    detail = Reader(request, incomplete).retrieve(therapy._meta.model.objects.published(), therapy.slug)
    with pytest.raises(AssertionError):
        assert_same_json(detail, TherapySerializer(therapy, context={"request": request}).data)


def test_a_field_the_rows_cannot_read_is_refused_when_the_plan_is_compiled():
    """A field with code of its own but no row side cannot silently exist on one path only."""

    class WithAMethodField(TherapyListSerializer):
        shouting_name = serializers.SerializerMethodField()

        class Meta(TherapyListSerializer.Meta):
            fields = (*TherapyListSerializer.Meta.fields, "shouting_name")

        def get_shouting_name(self, therapy):
            return therapy.name.upper()

    with pytest.raises(ImproperlyConfigured, match=r"WithAMethodField\.shouting_name"):
        plan_for(WithAMethodField)
