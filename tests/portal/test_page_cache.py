"""The shared page cache: hits for anonymous readers, exact invalidation, 304 before any view."""

import pytest
from django.test import override_settings

from portal.generation import content_changed, content_generation
from tests.factories import TherapyCategoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.page_cache_urls")]

HOME = "/en/"


def test_second_anonymous_request_is_served_from_the_cache_without_sql(client, django_assert_num_queries):
    TherapyCategoryFactory(name_en="Immune cell therapy")
    first = client.get(HOME)
    with django_assert_num_queries(0):
        second = client.get(HOME)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content


def test_a_saved_change_is_visible_on_the_next_request(client):
    category = TherapyCategoryFactory(name_en="Immune cell therapy")
    client.get(HOME)
    category.name_en = "Immune effector cell therapy"
    category.save()
    response = client.get(HOME)
    assert response["X-Cache"] == "miss"
    assert "Immune effector cell therapy" in response.content.decode()


def test_publishing_makes_a_cached_page_stale(client, publisher):
    draft = TherapyCategoryFactory(name_en="Islet cell therapy", status="draft")
    assert "Islet cell therapy" not in client.get(HOME).content.decode()
    draft.transition("published", by=publisher)
    assert "Islet cell therapy" in client.get(HOME).content.decode()


def test_unpublishing_makes_a_cached_page_stale(client, publisher):
    category = TherapyCategoryFactory(name_en="Islet cell therapy")
    assert "Islet cell therapy" in client.get(HOME).content.decode()
    category.transition("draft", by=publisher)
    assert "Islet cell therapy" not in client.get(HOME).content.decode()


def test_deleting_makes_a_cached_page_stale(client):
    category = TherapyCategoryFactory(name_en="Islet cell therapy")
    client.get(HOME)
    category.delete()
    assert "Islet cell therapy" not in client.get(HOME).content.decode()


def test_a_relation_change_bumps_the_generation():
    from tests.factories import ReferenceFactory

    category = TherapyCategoryFactory()
    before = content_generation()
    category.references.add(ReferenceFactory())
    assert content_generation() > before


def test_logged_in_staff_are_never_served_cached_pages_nor_fill_them(client, editor):
    TherapyCategoryFactory()
    client.get(HOME)  # anonymous fills the cache
    client.force_login(editor)
    staff_response = client.get(HOME)
    assert "X-Cache" not in staff_response
    client.logout()
    assert client.get(HOME)["X-Cache"] == "hit"


def test_conditional_get_is_answered_before_the_view(client, django_assert_num_queries):
    etag = client.get(HOME)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_the_etag_changes_after_any_edit(client):
    etag = client.get(HOME)["ETag"]
    TherapyCategoryFactory()
    response = client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_public_responses_carry_cache_control(client):
    cache_control = client.get(HOME)["Cache-Control"]
    assert "public" in cache_control and "max-age=" in cache_control


def test_languages_are_cached_separately(client):
    TherapyCategoryFactory(name_en="Stem cell therapy", name_zh_hans="干细胞疗法")
    client.get("/en/")
    chinese = client.get("/zh-hans/")
    assert chinese["X-Cache"] == "miss" and "干细胞疗法" in chinese.content.decode()


@override_settings(PAGE_CACHE_BYPASS_HEADER="X-Bench-Cache-Bypass")
def test_the_benchmark_bypass_header_forces_a_cold_read(client):
    client.get(HOME)
    assert client.get(HOME, HTTP_X_BENCH_CACHE_BYPASS="1")["X-Cache"] == "miss"


def test_the_bypass_header_does_nothing_unless_configured(client):
    client.get(HOME)
    assert client.get(HOME, HTTP_X_BENCH_CACHE_BYPASS="1")["X-Cache"] == "hit"


def test_responses_that_set_cookies_are_not_stored(client):
    client.get("/en/cookie/")
    assert client.get("/en/cookie/")["X-Cache"] == "miss"


def test_paths_outside_the_public_site_are_never_cached(client):
    assert "X-Cache" not in client.get("/admin/")


def test_content_changed_recovers_from_an_empty_cache():
    from django.core.cache import cache

    cache.clear()
    content_changed()
    assert content_generation() > 0


@pytest.mark.urls("portal.urls")
def test_api_responses_are_cached_per_language_cookie(client):
    from django.conf import settings

    TherapyCategoryFactory(name_en="Stem cell therapy", name_zh_hans="干细胞疗法")
    client.get("/api/v1/categories/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get("/api/v1/categories/")
    assert response["X-Cache"] == "miss" and "干细胞疗法" in response.content.decode()


def test_derived_values_are_computed_once_per_content_generation():
    from portal.generation import cached_for_generation

    calls = []
    assert cached_for_generation("answer", lambda: calls.append(1) or 42) == 42
    assert cached_for_generation("answer", lambda: calls.append(1) or 42) == 42
    assert len(calls) == 1
    TherapyCategoryFactory()
    cached_for_generation("answer", lambda: calls.append(1) or 43)
    assert len(calls) == 2


def test_a_stale_etag_gets_the_cached_page_not_a_304(client):
    client.get(HOME)
    response = client.get(HOME, HTTP_IF_NONE_MATCH='"deadbeef"')
    assert (response.status_code, response["X-Cache"]) == (200, "hit")


def test_a_page_from_an_older_generation_is_replaced_not_served(client):
    TherapyCategoryFactory(name_en="Immune cell therapy")
    client.get(HOME)
    content_changed()
    assert client.get(HOME)["X-Cache"] == "miss"
    assert client.get(HOME)["X-Cache"] == "hit"


@pytest.mark.urls("portal.urls")
@pytest.mark.parametrize("path", ["/sitemap-therapy.xml", "/en/feeds/policies/"])
def test_sitemap_sections_and_feeds_are_cached(client, path):
    first = client.get(path)
    assert first.status_code == 200
    assert client.get(path)["X-Cache"] == "hit"



# --- one owner of the validators of anonymous responses --------------------------------
@pytest.mark.urls("portal.urls")
def test_an_anonymous_api_response_carries_the_page_caches_etag_and_is_revalidated_before_the_view(
        client, django_assert_num_queries):
    TherapyCategoryFactory()
    first = client.get("/api/v1/categories/")
    assert first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        assert client.get("/api/v1/categories/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.urls("portal.urls")
def test_anonymous_api_bodies_are_not_hashed(client, monkeypatch):
    """The middleware replaces any ETag of an anonymous response, so the API must not pay for one."""
    from portal.api import viewsets

    monkeypatch.setattr(viewsets, "body_etag", lambda response: pytest.fail("an anonymous body was hashed"))
    assert client.get("/api/v1/categories/").status_code == 200


@pytest.mark.urls("portal.urls")
def test_responses_to_requests_with_credentials_keep_the_apis_private_body_etag(client, editor):
    client.force_login(editor)
    first = client.get("/api/v1/categories/")
    assert "private" in first["Cache-Control"] and not first["ETag"].startswith("W/")
    assert client.get("/api/v1/categories/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.urls("portal.urls")
def test_one_setting_gives_the_max_age_of_pages_and_api(client, settings):
    settings.PUBLIC_MAX_AGE = 7
    assert client.get("/api/v1/categories/")["Cache-Control"] == "public, max-age=7"
    assert client.get("/en/")["Cache-Control"] == "public, max-age=7, stale-while-revalidate=35"


def test_a_current_etag_costs_one_cache_round_trip(client, monkeypatch):
    from django.core.cache import cache

    from portal.generation import GENERATION_KEY

    etag = client.get(HOME)["ETag"]
    reads = []
    get, get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: reads.append(key) or get(key, *args, **kwargs))
    monkeypatch.setattr(cache, "get_many", lambda keys, *args, **kwargs: reads.append(tuple(keys)) or get_many(
        keys, *args, **kwargs))
    assert client.get(HOME, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # One get_many of the published generation and the page (local memory reads each key).
    assert reads[0][0] == GENERATION_KEY and reads[1:] == list(reads[0])


# --- L6: the validator is the body, not the generation -----------------------------------
def test_the_etag_does_not_show_the_content_generation(client):
    TherapyCategoryFactory()
    etag = client.get(HOME)["ETag"]
    assert f"{content_generation():x}" not in etag and not etag.startswith("W/")


def test_saving_a_draft_leaves_the_public_etag_as_it_was(client):
    TherapyCategoryFactory(name_en="Immune cell therapy")
    etag = client.get(HOME)["ETag"]
    TherapyCategoryFactory(name_en="Islet cell therapy", status="draft")  # a new generation
    response = client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response["ETag"]) == (304, etag)


def test_after_a_draft_was_saved_a_revalidation_is_rendered_once_and_then_answered_from_the_cache(
        client, django_assert_num_queries):
    TherapyCategoryFactory(name_en="Immune cell therapy")
    etag = client.get(HOME)["ETag"]
    TherapyCategoryFactory(name_en="Islet cell therapy", status="draft")
    client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    with django_assert_num_queries(0):
        assert client.get(HOME, HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- L7: If-None-Match: * only where a current representation exists ---------------------
@pytest.mark.urls("portal.urls")
@pytest.mark.parametrize(("path", "status"), [
    ("/en/therapies/does-not-exist/", 404),
    ("/api/v1/therapies/does-not-exist/", 404),
    ("/api/v1/categories/?zz=1", 400),
    ("/en/search/?page=abc", 404),
])
def test_if_none_match_star_is_no_304_without_a_representation(client, path, status):
    client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH="*").status_code == status


@pytest.mark.urls("portal.urls")
def test_if_none_match_star_is_no_304_for_an_archived_item(client, publisher):
    from tests.factories import TherapyFactory

    therapy = TherapyFactory()
    path = f"/en/therapies/{therapy.slug}/"
    client.get(path)
    therapy.transition("archived", by=publisher)
    assert client.get(path, HTTP_IF_NONE_MATCH="*").status_code == 404


@pytest.mark.urls("portal.urls")
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "cached"])
def test_if_none_match_star_is_a_304_for_a_current_page(client, warm):
    TherapyCategoryFactory()
    if warm:
        client.get("/en/categories/")
    assert client.get("/en/categories/", HTTP_IF_NONE_MATCH="*").status_code == 304


@pytest.mark.urls("portal.urls")
def test_the_view_reads_the_query_as_django_parsed_it(client):
    """The page cache watches request.GET for the parameters looked up; it must not re-parse it."""
    assert 'value="干细胞"' in client.get("/zh-hans/search/?q=干细胞").content.decode()
