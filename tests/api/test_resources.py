"""The generic API test cases, applied to every resource (the data comes from conftest.RESOURCES)."""

from __future__ import annotations

import pytest

from tests.api.conftest import RESOURCES

pytestmark = pytest.mark.django_db

EDITORIAL = [resource for resource in RESOURCES if resource.editorial]
FILTER_CASES = [(resource, name) for resource in RESOURCES for name in resource.filters]
ORDERING_CASES = [(resource, name) for resource in RESOURCES for name in resource.ordering]


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


# --- list and detail --------------------------------------------------------------------
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_list_is_paginated_with_count_and_links(api, resource):
    resource.factory.create_batch(3)
    response = api.get(resource.list_url(), {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].startswith("http://testserver/api/v1/")
    assert body["previous"] is None


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_detail_is_found_by_slug_with_absolute_urls(api, resource):
    obj = resource.factory()
    response = api.get(resource.detail_url(obj))
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == obj.slug
    assert body["url"] == f"http://testserver{resource.detail_url(obj)}"
    assert body[resource.label] == getattr(obj, resource.label)
    assert body["status"] == ("published" if resource.editorial else "active")
    assert "web_url" in body or not resource.editorial


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_unknown_slug_is_404(api, resource):
    assert api.get(f"/api/v1/{resource.prefix}/no-such-thing/").status_code == 404


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_brief_list_has_only_the_compact_form(api, resource):
    obj = resource.factory()
    item = api.get(resource.list_url(), {"brief": "1"}).json()["results"][0]
    assert item["slug"] == obj.slug
    assert set(item) <= {"slug", "name", "title", "symbol", "url"}
    assert resource.label in item


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_csv_export_has_one_row_per_item(api, resource):
    resource.factory.create_batch(2)
    response = api.get(resource.list_url(), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("slug,url,")
    assert len(lines) == 3


# --- drafts -----------------------------------------------------------------------------
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_draft_is_not_listed_or_counted(api, resource):
    resource.make_hidden()
    published = resource.factory()
    body = api.get(resource.list_url()).json()
    assert body["count"] == 1
    assert slugs_of(body) == [published.slug]


def slugs_of(body) -> list[str]:
    return [item["slug"] for item in body["results"]]


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_draft_detail_and_history_are_404(api, resource):
    draft = resource.make_hidden()
    assert api.get(resource.detail_url(draft)).status_code == 404
    assert api.get(f"{resource.detail_url(draft)}history/").status_code == 404


@pytest.mark.parametrize("resource", EDITORIAL, ids=str)
def test_draft_status_filter_finds_nothing_for_the_public(api, resource):
    resource.factory(status="draft")
    assert api.get(resource.list_url(), {"status": "draft"}).json()["count"] == 0


@pytest.mark.parametrize("resource", EDITORIAL, ids=str)
def test_editor_lists_drafts_with_status_filter(editor_api, resource):
    draft = resource.factory(status="draft")
    resource.factory()
    response = editor_api.get(resource.list_url(), {"status": "draft"})
    assert slugs(response) == [draft.slug]
    assert editor_api.get(resource.detail_url(draft)).status_code == 200


# --- filters, search, ordering ------------------------------------------------------------
@pytest.mark.parametrize(("resource", "name"), FILTER_CASES, ids=lambda case: str(case))
def test_filter_keeps_only_matching_items(api, resource, name):
    match, other = resource.factory(), resource.factory()
    value = resource.filters[name](match, other)
    response = api.get(resource.list_url(), {name: value})
    assert response.status_code == 200, response.json()
    assert slugs(response) == [match.slug]
    assert other.slug not in slugs(response)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_unknown_query_parameter_is_400_naming_it(api, resource):
    response = api.get(resource.list_url(), {"sttaus": "published"})
    assert response.status_code == 400
    assert "sttaus" in response.json()


@pytest.mark.parametrize(("resource", "name"), ORDERING_CASES, ids=lambda case: str(case))
def test_ordering_by_each_documented_field(api, resource, name):
    resource.factory.create_batch(3)
    forward = slugs(api.get(resource.list_url(), {"ordering": name}))
    backward = slugs(api.get(resource.list_url(), {"ordering": f"-{name}"}))
    assert sorted(forward) == sorted(backward)
    assert len(forward) == 3


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_ordering_by_label_sorts(api, resource):
    if resource.label not in resource.ordering:
        pytest.skip("ordered by another field")
    resource.factory.create_batch(3)
    forward = api.get(resource.list_url(), {"ordering": resource.label}).json()["results"]
    labels = [item[resource.label] for item in forward]
    assert labels == sorted(labels)
    backward = api.get(resource.list_url(), {"ordering": f"-{resource.label}"}).json()["results"]
    assert [item[resource.label] for item in backward] == sorted(labels, reverse=True)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_unknown_ordering_field_is_400(api, resource):
    response = api.get(resource.list_url(), {"ordering": "created_by"})
    assert response.status_code == 400
    assert "ordering" in response.json()


# --- pagination -------------------------------------------------------------------------
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_page_past_the_end_is_404(api, resource):
    resource.factory()
    assert api.get(resource.list_url(), {"page": 2}).status_code == 404


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("bad", ["abc", "0", "-3"])
def test_bad_page_size_is_400_naming_it(api, resource, bad):
    response = api.get(resource.list_url(), {"page_size": bad})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_oversized_page_size_is_capped_at_100(api):
    from tests.factories import ReferenceFactory

    ReferenceFactory.create_batch(101)
    body = api.get("/api/v1/references/", {"page_size": 1000}).json()
    assert len(body["results"]) == 100
    assert body["count"] == 101


def test_default_page_size_is_20(api):
    from tests.factories import ReferenceFactory

    ReferenceFactory.create_batch(21)
    assert len(api.get("/api/v1/references/").json()["results"]) == 20


# --- language ---------------------------------------------------------------------------
@pytest.mark.parametrize("resource", [r for r in EDITORIAL if r.prefix != "references"], ids=str)
def test_lang_parameter_chooses_the_translation(api, resource):
    obj = resource.factory()
    label = "name" if resource.label == "symbol" else resource.label
    response = api.get(resource.detail_url(obj), {"lang": "zh-hans"})
    assert response["Content-Language"] == "zh-hans"
    assert response.json()[label] == getattr(obj, f"{label}_zh_hans")
    assert f"/zh-hans/{resource.prefix}/{obj.slug}/" in response.json()["web_url"]


@pytest.mark.parametrize("resource", [r for r in EDITORIAL if r.prefix != "references"], ids=str)
def test_empty_translation_falls_back_to_english(api, resource):
    label = "name" if resource.label == "symbol" else resource.label
    obj = resource.factory(**{f"{label}_zh_hans": ""})
    body = api.get(resource.detail_url(obj), HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body[label] == getattr(obj, f"{label}_en")


def test_accept_language_header_sets_the_language(api):
    from tests.factories import TherapyFactory

    therapy = TherapyFactory()
    response = api.get(f"/api/v1/therapies/{therapy.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "zh-hans"
    assert response.json()["name"] == therapy.name_zh_hans
    assert response.json()["web_url"] == f"http://testserver/zh-hans/therapies/{therapy.slug}/"


def test_unknown_lang_is_400(api):
    response = api.get("/api/v1/therapies/", {"lang": "fr"})
    assert response.status_code == 400
    assert "lang" in response.json()


# --- conditional GET and caching ---------------------------------------------------------
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("which", ["list", "detail"])
def test_conditional_get_is_304_until_an_edit(api, resource, which):
    obj = resource.factory()
    url = resource.list_url() if which == "list" else resource.detail_url(obj)
    first = api.get(url)
    assert {part.strip() for part in first["Cache-Control"].split(",")} == {"public", "max-age=60"}
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    resource.change(obj)
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_authenticated_responses_are_private(editor_api):
    response = editor_api.get("/api/v1/therapies/")
    assert "private" in response["Cache-Control"]


# --- query bounds -----------------------------------------------------------------------
@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("related", [1, 8])
def test_detail_query_count_does_not_grow(api, resource, related, django_assert_max_num_queries):
    obj = resource.factory()
    resource.add_related(obj, related)
    with django_assert_max_num_queries(resource.detail_queries):
        assert api.get(resource.detail_url(obj)).status_code == 200


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("rows", [1, 12])
def test_list_query_count_does_not_grow(api, resource, rows, django_assert_max_num_queries):
    for obj in resource.factory.create_batch(rows):
        resource.add_related(obj, 2)
    with django_assert_max_num_queries(resource.list_queries):
        response = api.get(resource.list_url(), {"page_size": 100})
    assert response.json()["count"] >= rows
