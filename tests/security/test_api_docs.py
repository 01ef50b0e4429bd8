"""The schema and docs views (probe L3, L5): no 500 for any method, the schema generated once and revalidated."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from portal.api import docs

pytestmark = pytest.mark.django_db

METHODS = ["options", "post", "put", "patch", "delete"]


@pytest.fixture
def fresh_schemas():
    docs.forget_schemas()
    yield
    docs.forget_schemas()


@pytest.mark.parametrize("method", METHODS)
def test_other_methods_on_the_docs_are_refused_not_a_server_error(api, method):
    response = getattr(api, method)("/api/docs/")
    assert response.status_code == 405


@pytest.mark.parametrize("method", METHODS)
def test_other_methods_on_the_schema_are_refused_not_a_server_error(api, method):
    response = getattr(api, method)("/api/schema/")
    assert response.status_code == 405


def test_the_docs_page_still_renders(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_schema_has_an_etag_and_a_public_cache_control(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response["ETag"]
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_answers_its_etag_with_a_304(api):
    etag = api.get("/api/schema/?format=json")["ETag"]
    response = api.get("/api/schema/?format=json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_the_schema_is_generated_once_per_language(api, fresh_schemas, monkeypatch):
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    for _ in range(3):
        assert api.get("/api/schema/?format=json&lang=en").status_code == 200
    assert len(calls) == 1
    assert api.get("/api/schema/?format=json&lang=zh-hans").status_code == 200
    assert len(calls) == 2


def test_the_schemas_of_two_languages_differ(api):
    english = api.get("/api/schema/?format=json&lang=en")
    chinese = api.get("/api/schema/?format=json&lang=zh-hans")
    assert english["ETag"] != chinese["ETag"]


@pytest.mark.parametrize("query", ["zz=1", "lang=password"])
def test_an_unknown_parameter_on_the_schema_is_a_400(api, query):
    response = api.get(f"/api/schema/?format=json&{query}")
    assert response.status_code == 400
