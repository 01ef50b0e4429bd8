"""M7: a page-cache hit carries exactly the headers of the miss that stored it (security
headers, CORS, content headers); only X-Cache tells them apart."""

import pytest

from tests.factories import TherapyCategoryFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://other.example"
SECURITY_HEADERS = ("X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options",
                    "Cross-Origin-Opener-Policy")


@pytest.fixture(autouse=True)
def _a_category(db):
    TherapyCategoryFactory()


def headers(response) -> dict:
    return {name.lower(): value for name, value in response.items() if name.lower() != "x-cache"}


@pytest.mark.parametrize("path", ["/en/", "/api/v1/categories/?page_size=4"])
def test_a_hit_has_the_headers_of_the_miss(client, path):
    miss = client.get(path, HTTP_ORIGIN=ORIGIN)
    hit = client.get(path, HTTP_ORIGIN=ORIGIN)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    assert headers(hit) == headers(miss)


@pytest.mark.parametrize("path", ["/en/", "/api/v1/categories/?page_size=4"])
def test_a_hit_carries_every_security_header(client, path):
    client.get(path)
    hit = client.get(path)
    assert [name for name in SECURITY_HEADERS if not hit.has_header(name)] == []


def test_an_api_hit_carries_the_cors_header(client):
    client.get("/api/v1/categories/?page_size=4")
    hit = client.get("/api/v1/categories/?page_size=4", HTTP_ORIGIN=ORIGIN)
    assert hit["X-Cache"] == "hit" and hit["Access-Control-Allow-Origin"] == "*"


def test_a_not_modified_answer_carries_the_security_headers_too(client):
    etag = client.get("/en/")["ETag"]
    response = client.get("/en/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert [name for name in SECURITY_HEADERS if not response.has_header(name)] == []
