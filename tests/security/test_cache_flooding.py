"""M6: only canonical URLs are stored. A query parameter the view never looked up is
answered but not cached, so junk query strings cannot fill the shared cache."""

import pytest
from django.core.cache import cache

from tests.factories import TherapyCategoryFactory, TherapyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _content(db):
    TherapyFactory.create_batch(2, category=TherapyCategoryFactory())


def cache_keys() -> set:
    return set(cache._cache)  # the local-memory backend's store


@pytest.mark.parametrize("path", ["/en/therapies/", "/en/", "/robots.txt", "/api/v1/therapies/"])
def test_junk_query_strings_add_no_cache_entries(client, path):
    client.get(path)  # the canonical page and the values it derives are stored once
    before = cache_keys()
    for number in range(50):
        response = client.get(f"{path}?flood={number}&utm_source=x{number}")
        assert response.status_code in (200, 400)
    assert cache_keys() == before


def test_a_junk_query_string_is_still_answered(client):
    response = client.get("/en/therapies/?flood=1")
    assert response.status_code == 200 and response["X-Cache"] == "miss"
    assert client.get("/en/therapies/?flood=1")["X-Cache"] == "miss"


@pytest.mark.parametrize("path", ["/en/therapies/?page=1", "/en/search/?q=cell", "/api/v1/therapies/?page_size=1",
                                  "/en/policies/?jurisdiction=CN", "/sitemap-therapy.xml?p=1"])
def test_parameters_the_view_reads_are_cached(client, path):
    client.get(path)
    assert client.get(path)["X-Cache"] == "hit"


def test_a_known_parameter_beside_a_junk_one_is_not_cached(client):
    client.get("/en/therapies/?page=1&flood=1")
    assert client.get("/en/therapies/?page=1&flood=1")["X-Cache"] == "miss"
