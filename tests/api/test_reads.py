"""Every reader gives exactly the JSON of its serializer, the contract the schema describes.

The readers (portal/api/reads.py) answer every list and detail from rows; the serializers
validate writes and document the responses. For each resource, with related rows of every
kind and some of them drafts, both must agree item for item: list, brief list and detail,
in both languages, for the public and for an editor who sees drafts.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from portal.api.reads import Reader
from portal.api.resources import resources
from portal.models import EditorialModel
from tests.api.conftest import RESOURCES

pytestmark = pytest.mark.django_db

VIEWSETS = {prefix: viewset for prefix, viewset, _basename in resources()}


def as_json(data) -> object:
    return json.loads(JSONRenderer().render(data))


def request_as(user):
    request = Request(RequestFactory().get("/api/v1/"))
    request.user = user
    return request


def draft_one_of_each_related_model(resource_model) -> None:
    """Turn the first row of every other curated model into a draft."""
    for model in apps.get_models():
        if issubclass(model, EditorialModel) and model is not resource_model:
            first = model.objects.order_by("pk").values("pk")[:1]
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
    """Two objects of the resource with two related rows of every kind, some of them drafts."""
    resource = request.param
    viewset = VIEWSETS[resource.prefix]
    model = viewset.filterset_class.Meta.model
    objects = [resource.factory(), resource.factory()]
    for obj in objects:
        resource.add_related(obj, 2)
    draft_one_of_each_related_model(model)
    return viewset, model, objects


def test_list_items_match_the_list_serializer(world, reader_user, language):
    viewset, model, _objects = world
    request = request_as(reader_user)
    queryset = model.objects.visible_to(reader_user)
    reader = Reader(request, viewset.resource())
    expected = viewset.list_serializer_class(queryset, many=True, context={"request": request}).data
    assert as_json(reader.items(reader.list_rows(queryset))) == as_json(expected)


def test_brief_items_match_the_compact_serializer(world, reader_user, language):
    viewset, model, _objects = world
    request = request_as(reader_user)
    queryset = model.objects.visible_to(reader_user)
    reader = Reader(request, viewset.resource())
    expected = viewset.brief_serializer_class(queryset, many=True, context={"request": request}).data
    assert as_json(reader.brief_items(reader.brief_rows(queryset))) == as_json(expected)


def test_detail_matches_the_serializer(world, reader_user, language):
    viewset, model, objects = world
    request = request_as(reader_user)
    for obj in objects:
        obj.refresh_from_db()
        expected = viewset.serializer_class(obj, context={"request": request}).data
        detail = Reader(request, viewset.resource()).retrieve(model.objects.visible_to(reader_user), obj.slug)
        assert as_json(detail) == as_json(expected)


def test_a_detail_reads_its_relations(world, language):
    """The comparison above is only as good as the relations it sees: some are filled."""
    viewset, model, objects = world
    request = request_as(AnonymousUser())
    detail = Reader(request, viewset.resource()).retrieve(model.objects.published(), objects[1].slug)
    lists = [value for value in detail.values() if isinstance(value, list) and value]
    assert lists or model.__name__ == "Reference"
