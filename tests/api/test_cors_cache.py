"""CORS through the page cache: a cached API response answers each request with that
request's CORS headers, whichever request (with or without Origin) filled the cache."""

import pytest

from tests.factories import TherapyCategoryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/categories/"
ORIGIN = "https://example.org"


@pytest.fixture(autouse=True)
def _a_category(db):
    TherapyCategoryFactory()


@pytest.mark.parametrize("warmed_with_origin", [False, True], ids=["warmed-without-origin", "warmed-with-origin"])
def test_a_cached_response_gets_the_cors_headers_of_the_request_it_answers(client, warmed_with_origin):
    client.get(URL, **({"HTTP_ORIGIN": ORIGIN} if warmed_with_origin else {}))
    with_origin = client.get(URL, HTTP_ORIGIN=ORIGIN)
    without_origin = client.get(URL)
    assert (with_origin["X-Cache"], without_origin["X-Cache"]) == ("hit", "hit")
    assert with_origin["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in without_origin
    assert "origin" in with_origin["Vary"].lower() and "origin" in without_origin["Vary"].lower()


def test_a_revalidation_gets_the_cors_headers_too(client):
    etag = client.get(URL)["ETag"]
    response = client.get(URL, HTTP_ORIGIN=ORIGIN, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("warmed_by", [None, ORIGIN, "https://elsewhere.example"])
def test_a_disallowed_origin_gets_no_cors_header_from_the_cache(client, settings, warmed_by):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    client.get(URL, **({"HTTP_ORIGIN": warmed_by} if warmed_by else {}))
    allowed = client.get(URL, HTTP_ORIGIN=ORIGIN)
    refused = client.get(URL, HTTP_ORIGIN="https://elsewhere.example")
    assert (allowed["X-Cache"], refused["X-Cache"]) == ("hit", "hit")
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Origin" not in refused


def test_the_cache_is_not_keyed_by_origin(client):
    """Any origin may be sent: distinct origins must not fill the cache with distinct copies."""
    client.get(URL, HTTP_ORIGIN="https://one.example")
    assert client.get(URL, HTTP_ORIGIN="https://two.example")["X-Cache"] == "hit"
