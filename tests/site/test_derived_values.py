"""Values computed once per content generation are reused until the content changes, and are
right again on the very next request after a change (issue #6).

Requests carry the benchmark's bypass header, so the page cache steps aside and each request
renders the page again: what is left cached is only the derived values.
"""

import datetime
import re

import pytest

from tests.factories import (
    ApprovalFactory,
    AuthorityFactory,
    PolicyDocumentFactory,
    TherapyCategoryFactory,
    TherapyFactory,
)

BYPASS = {"HTTP_X_BENCH_CACHE_BYPASS": "1"}


@pytest.fixture(autouse=True)
def _bypass_the_page_cache(settings):
    settings.PAGE_CACHE_BYPASS_HEADER = "X-Bench-Cache-Bypass"


def documents_shown(html: str) -> int:
    return int(re.search(r'<p role="status">(\d+) documents?</p>', html).group(1))


def test_home_figures_are_computed_once_per_content_generation(client, world, django_assert_num_queries):
    client.get("/en/", **BYPASS)
    with django_assert_num_queries(0):
        response = client.get("/en/", **BYPASS)
    assert response["X-Cache"] == "miss"


def test_home_figures_follow_a_new_approval_at_once(client, world):
    assert "FDA</th>" not in client.get("/en/", **BYPASS).content.decode()
    ApprovalFactory(therapy=world["investigational"], agency="fda", decided_on=datetime.date(2023, 3, 1))
    html = client.get("/en/", **BYPASS).content.decode()
    assert re.search(r"FDA</th><td>1</td>", html)
    assert 'href="/en/therapies/knee-stem-cell-injection/"' in html  # among the latest approvals


def test_home_figures_drop_an_unpublished_therapy_at_once(client, world):
    assert re.search(r"MFDS</th><td>1</td>", client.get("/en/", **BYPASS).content.decode())
    world["cartistem"].status = "draft"
    world["cartistem"].save()
    html = client.get("/en/", **BYPASS).content.decode()
    assert "MFDS</th>" not in html and "Cartistem" not in html


@pytest.mark.parametrize(("query", "expected"), [
    ("", 4),
    ("jurisdiction=CN", 3),
    ("jurisdiction=US", 2),  # not the bioeconomy plan: its US issuer is a draft
    ("authority=ndrc", 3),
    ("authority=fda", 2),
    ("type=plan", 1),
    ("status=repealed", 1),
    ("year=2021", 1),
    ("jurisdiction=CN&year=2012", 1),
    ("jurisdiction=CN&authority=fda", 1),
    ("jurisdiction=XX", 4),  # not a choice: ignored
    ("year=1800", 4),
])
def test_policy_list_total_matches_its_filters_cold_and_warm(client, world, query, expected):
    fda = AuthorityFactory(name_en="Food and Drug Administration", jurisdiction="US", slug="fda")
    PolicyDocumentFactory(title_en="US guidance on potency", authorities=[fda], legal_status="repealed")
    PolicyDocumentFactory(title_en="Joint notice", authorities=[fda, world["ministry"]], doc_type="notice")
    for _attempt in ("cold", "warm"):
        assert documents_shown(client.get(f"/en/policies/?{query}", **BYPASS).content.decode()) == expected


def test_a_document_issued_by_two_authorities_of_one_jurisdiction_is_listed_once(client, world):
    other = AuthorityFactory(name_en="Ministry of Science and Technology", jurisdiction="CN")
    PolicyDocumentFactory(title_en="Joint plan", authorities=[world["ministry"], other], slug="joint-plan")
    html = client.get("/en/policies/?jurisdiction=CN", **BYPASS).content.decode()
    assert html.count('href="/en/policies/joint-plan/"') == 1
    assert documents_shown(html) == 3  # the two plans of the world, and this one


def test_policy_list_total_follows_a_new_document_at_once(client, world):
    before = documents_shown(client.get("/en/policies/?jurisdiction=CN", **BYPASS).content.decode())
    PolicyDocumentFactory(authorities=[world["ministry"]])
    assert documents_shown(client.get("/en/policies/?jurisdiction=CN", **BYPASS).content.decode()) == before + 1


def test_authority_facet_follows_a_newly_published_authority(client, world):
    world["draft_authority"].status = "published"
    world["draft_authority"].save()
    html = client.get("/en/policies/", **BYPASS).content.decode()
    assert f'<option value="{world["draft_authority"].slug}">Hidden agency</option>' in html


def test_category_tree_follows_a_new_category_at_once(client, world):
    client.get("/en/categories/", **BYPASS)
    TherapyCategoryFactory(name_en="Immune cell therapy", slug="immune")
    assert 'href="/en/categories/immune/"' in client.get("/en/categories/", **BYPASS).content.decode()
    assert client.get("/en/categories/immune/", **BYPASS).status_code == 200


def test_category_under_an_unpublished_parent_keeps_its_own_page(client, db):
    hidden = TherapyCategoryFactory(status="draft")
    TherapyCategoryFactory(name_en="Orphan family", parent=hidden, slug="orphan")
    response = client.get("/en/categories/orphan/", **BYPASS)
    assert response.status_code == 200 and "Orphan family" in response.content.decode()


def test_category_page_lists_a_newly_published_therapy_and_its_mechanisms(client, world):
    client.get("/en/categories/stem-cell-therapy/", **BYPASS)
    TherapyFactory(name_en="New MSC product", category=world["child"], slug="new-msc")
    assert 'href="/en/therapies/new-msc/"' in client.get("/en/categories/stem-cell-therapy/", **BYPASS).content.decode()


def test_about_page_date_follows_a_change(client, db):
    therapy = TherapyFactory()
    assert "The content was last changed on" in client.get("/en/about/", **BYPASS).content.decode()
    therapy.status = "draft"
    therapy.save()
    assert "No content has been published yet." in client.get("/en/about/", **BYPASS).content.decode()


def test_a_public_request_reads_the_generation_from_the_cache_once(client, db, monkeypatch):
    """Every derived value on a list (its total) is keyed by the generation: remembered for the request."""
    from django.core.cache import cache

    from portal import generation

    TherapyCategoryFactory.create_batch(2)
    reads = []
    get = cache.get  # the local-memory cache's get_many goes through get too
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: reads.append(key) or get(key, *args, **kwargs))
    assert client.get("/api/v1/categories/").status_code == 200
    assert reads.count(generation.GENERATION_KEY) == 1
    assert generation._request_generation.get() is None  # forgotten once the response is made


@pytest.mark.parametrize(("page_query", "api_query"), [
    ("jurisdiction=CN", "jurisdiction=CN"),
    ("authority=ndrc", "authority=ndrc"),
    ("type=plan", "doc_type=plan"),
    ("status=repealed", "legal_status=repealed"),
    ("year=2021", "issued_after=2021-01-01&issued_before=2021-12-31"),
    ("jurisdiction=CN&year=2012", "jurisdiction=CN&issued_after=2012-01-01&issued_before=2012-12-31"),
])
def test_policy_list_facets_select_what_the_api_filter_selects(client, world, page_query, api_query):
    PolicyDocumentFactory(title_en="Repealed notice", authorities=[world["ministry"]], legal_status="repealed")
    html = client.get(f"/en/policies/?{page_query}", **BYPASS).content.decode()
    on_page = set(re.findall(r'<a href="/en/policies/([\w-]+)/"', html))
    in_api = {row["slug"] for row in client.get(f"/api/v1/policies/?{api_query}&page_size=100").json()["results"]}
    assert on_page == in_api and on_page
