"""M1: the page cache is keyed by scheme and host, so one host's absolute links never reach
a reader of another (cache poisoning through the Host header)."""

import re

import pytest

from tests.factories import TherapyCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _categories(db):
    TherapyCategoryFactory.create_batch(2)


def test_robots_txt_names_the_sitemap_of_the_host_asked(client):
    client.get("/robots.txt", HTTP_HOST="localhost")
    response = client.get("/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_api_links_are_those_of_the_host_asked(client):
    client.get("/api/v1/categories/?page_size=1", HTTP_HOST="localhost")
    body = client.get("/api/v1/categories/?page_size=1").json()
    assert body["next"].startswith("http://testserver/")
    assert body["results"][0]["url"].startswith("http://testserver/")


def test_the_canonical_link_is_that_of_the_host_asked(client):
    client.get("/en/", HTTP_HOST="localhost")
    html = client.get("/en/").content.decode()
    assert re.search(r'<link rel="canonical" href="http://testserver/en/">', html)


def test_the_scheme_is_part_of_the_key(client):
    client.get("/robots.txt", secure=True)
    assert "Sitemap: http://testserver/" in client.get("/robots.txt").content.decode()


def test_each_host_is_then_served_from_the_cache(client):
    client.get("/robots.txt", HTTP_HOST="localhost")
    client.get("/robots.txt")
    assert client.get("/robots.txt", HTTP_HOST="localhost")["X-Cache"] == "hit"
    assert client.get("/robots.txt")["X-Cache"] == "hit"
