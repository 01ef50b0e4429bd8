"""Site search: English inflections, Chinese words without spaces, ranking, snippets, junk."""

import io

import pytest
from django.core.management import call_command
from django.db import OperationalError

from policies.models import PolicyDocument
from portal import search
from portal.models import SearchEntry
from portal.search import backends, ranking
from tests.factories import ConditionFactory, PolicyDocumentFactory, TherapyFactory


def kinds_and_slugs(page):
    return [(result.type, result.slug) for result in page.results]


def test_tokeniser_stems_english_and_cuts_chinese_into_bigrams():
    assert search.query_terms("Therapies") == search.query_terms("therapy")
    assert search.query_terms("干细胞") == ["干细", "细胞"]
    assert search.query_terms("ＣＡＲ-Ｔ") == search.query_terms("car-t")


def test_english_inflection_matches(world):
    assert ("category", "stem-cell-therapy") in kinds_and_slugs(search.search("therapies", language="en"))
    assert ("condition", "knee-osteoarthritis") in kinds_and_slugs(search.search("Knees", language="en"))
    assert ("therapy", "cartistem") in kinds_and_slugs(search.search("stem cell", language="en"))


@pytest.mark.parametrize("word", ["干细胞", "骨关节炎", "生物经济"])
def test_chinese_words_match_in_both_languages(world, word):
    for language in ("en", "zh-hans"):
        assert search.search(word, language=language).total >= 1, (word, language)


def test_chinese_query_finds_the_right_items(world):
    assert ("condition", "knee-osteoarthritis") in kinds_and_slugs(search.search("骨关节炎", language="zh-hans"))
    assert ("policy", "bioeconomy-plan") in kinds_and_slugs(search.search("生物经济", language="zh-hans"))


def test_every_word_must_match(world):
    assert search.search("cartistem", language="en").total == 1
    assert search.search("cartistem bioeconomy", language="en").total == 0


def test_title_hits_rank_above_text_hits(world):
    TherapyFactory(name_en="Other product", summary_en="Mentions knee osteoarthritis in passing.")
    results = search.search("knee osteoarthritis", language="en").results
    assert results[0].slug == "knee-osteoarthritis"


def test_snippet_highlights_inflected_forms_and_escapes_html(db):
    ConditionFactory(name_en="Graft failure", description_en="Grafts fail when <i>dose</i> < 10^6 & cells die.")
    result = search.search("graft", language="en").results[0]
    assert "<mark>Grafts</mark>" in result.snippet
    assert "<i>" not in result.snippet and "&lt; 10^6 &amp; cells" in result.snippet


def test_snippet_highlights_chinese_words(world):
    result = search.search("骨关节炎", language="zh-hans").results[0]
    assert "<mark>骨关节炎</mark>" in result.snippet


def test_result_carries_url_object_and_score_in_the_requested_language(world):
    result = search.search("cartistem", language="zh-hans").results[0]
    assert result.url == "/zh-hans/therapies/cartistem/"
    assert result.object == world["cartistem"]
    assert result.score > 0


def test_type_filter_and_facets(world):
    page = search.search("stem", language="en", types={"category"})
    assert {result.type for result in page.results} == {"category"}
    assert page.facets["therapy"] >= 1 and page.facets["category"] >= 1
    assert page.total == page.facets["category"]


def test_limit_and_offset_page_through_results(world):
    first = search.search("stem", language="en", limit=1)
    second = search.search("stem", language="en", limit=1, offset=1)
    assert first.total >= 2
    assert first.results[0].slug != second.results[0].slug


@pytest.mark.parametrize("query", ["", "   ", "the of and", "!!! ??? ...", "\x00\x01", "a" * 5000])
def test_empty_or_junk_query_returns_an_empty_page(world, query):
    page = search.search(query, language="en")
    assert page.total == 0 and page.results == []


def test_saving_keeps_the_index_in_sync(db):
    policy = PolicyDocumentFactory(title_en="Regulation on organoids")
    assert search.search("organoid", language="en").total == 1
    policy.title_en = "Regulation on tissue banks"
    policy.save()
    assert search.search("organoid", language="en").total == 0
    policy.delete()
    assert not SearchEntry.objects.filter(kind="policy", object_id=policy.pk).exists()


def test_rebuild_index_indexes_published_items_only(world):
    SearchEntry.objects.all().delete()
    count = search.rebuild_index()
    assert count == SearchEntry.objects.count()
    assert not SearchEntry.objects.filter(slug="draft-product").exists()


def test_after_a_rebuild_cached_search_pages_and_counts_follow_the_new_index(client, db):
    """A bulk rebuild fires no signal on PostgreSQL (raw DELETE, COPY); it must still make
    the cached search pages and per-query counts stale, on both databases alike."""
    policy = PolicyDocumentFactory(title_en="Regulation on organoids")
    assert "Regulation on organoids" in client.get("/en/search/?q=organoid").content.decode()
    assert client.get("/api/v1/search/", {"q": "organoid"}).json()["count"] == 1
    assert search.search("organoid", language="en").total == 1
    # A write that fires no signal: neither the index nor any cache hears of it.
    PolicyDocument.objects.filter(pk=policy.pk).update(title_en="Regulation on tissue banks")
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert "Regulation on organoids" not in client.get("/en/search/?q=organoid").content.decode()
    assert client.get("/api/v1/search/", {"q": "organoid"}).json()["count"] == 0
    assert search.search("organoid", language="en").total == 0
    assert client.get("/api/v1/search/", {"q": "tissue bank"}).json()["count"] == 1


def test_search_page_offers_help_for_an_empty_query(client, db):
    html = client.get("/en/search/").content.decode()
    assert 'id="search-help-heading"' in html


def test_search_page_explains_a_junk_query(client, db):
    response = client.get("/en/search/?q=%21%21%21")
    assert response.status_code == 200
    assert 'class="notice"' in response.content.decode()


def test_search_page_shows_highlighted_results_and_type_facets(client, world):
    html = client.get("/zh-hans/search/?q=干细胞").content.decode()
    assert "<mark>" in html
    assert 'aria-label="' in html and "type=category" in html


def test_search_page_says_when_nothing_is_found(client, world):
    html = client.get("/en/search/?q=unobtainium").content.decode()
    assert 'id="no-results-heading"' in html


def test_migrate_rebuilds_an_empty_index_for_a_curated_size_catalogue(world):
    SearchEntry.objects.all().delete()
    search.rebuild_if_empty()
    assert SearchEntry.objects.filter(slug="cartistem").exists()


# --- very common terms: capped counts and ranking ------------------------------------
@pytest.fixture
def organoid_items(db, monkeypatch):
    """Five policies and two conditions mention organoids, with a cap of three matches."""
    monkeypatch.setattr(ranking, "RESULT_CAP", 3)
    for n in range(5):
        PolicyDocumentFactory(title_en=f"Notice {n}", summary_en="Rules for organoid banks.")
    ConditionFactory(name_en="Organoid graft failure")
    ConditionFactory(name_en="Other", description_en="Organoids again.")


def test_more_matches_than_the_cap_are_counted_as_capped(organoid_items):
    page = search.search("organoid", language="en")
    assert (page.total, page.capped) == (3, True)
    assert page.facets == {"condition": 2, "policy": 3}
    assert page.capped_facets == {"policy"}


def test_fewer_matches_than_the_cap_are_counted_exactly(organoid_items):
    page = search.search("organoid", language="en", types={"condition"})
    assert (page.total, page.capped) == (2, False)


def test_paging_stops_at_the_cap_and_title_hits_come_first(organoid_items):
    pages = [search.search("organoid", language="en", limit=1, offset=n).results for n in range(4)]
    assert [len(results) for results in pages] == [1, 1, 1, 0]
    assert pages[0][0].slug == "organoid-graft-failure"
    assert len({results[0].slug for results in pages[:3]}) == 3


def test_search_page_says_that_results_are_capped(client, organoid_items):
    html = client.get("/en/search/?q=organoid").content.decode()
    assert "3+ results for “organoid”" in html
    assert "Policy documents (3+)" in html and "Conditions (2)" in html


def test_timed_out_search_says_so_and_is_not_cached(client, db, monkeypatch):
    monkeypatch.setattr(search, "search", lambda query, **kwargs: search.SearchPage(
        query=query, terms=[query], timed_out=True))
    response = client.get("/en/search/?q=cell")
    assert response.status_code == 503
    assert "took too long" in response.content.decode()


def test_timed_out_search_is_a_503_in_the_api(client, db, monkeypatch):
    monkeypatch.setattr(search, "search", lambda query, **kwargs: search.SearchPage(
        query=query, terms=[query], timed_out=True))
    response = client.get("/api/v1/search/", {"q": "cell"})
    assert response.status_code == 503
    assert response.json()["detail"]


@pytest.fixture
def failing_index(db, monkeypatch):
    """The index in use, whose counts query fails with the error a test gives it."""
    index = backends.get_backend()
    monkeypatch.setattr(backends, "get_backend", lambda: index)

    def fail_with(error):
        def counts(terms):
            raise error
        monkeypatch.setattr(index, "counts", counts)
    return fail_with


class QueryCanceled(Exception):
    pgcode = "57014"  # what psycopg2 raises at statement_timeout


def test_a_statement_timeout_gives_a_timed_out_page(failing_index):
    error = OperationalError("canceling statement due to statement timeout")
    error.__cause__ = QueryCanceled()
    failing_index(error)
    assert search.search("cell", language="en").timed_out


def test_other_database_errors_are_not_taken_for_a_timeout(failing_index):
    failing_index(OperationalError("server closed the connection unexpectedly"))
    with pytest.raises(OperationalError):
        search.search("cell", language="en")


def test_counts_are_computed_once_per_query_and_content_generation(db, monkeypatch):
    ConditionFactory(name_en="Organoid graft failure")
    index = backends.get_backend()
    monkeypatch.setattr(backends, "get_backend", lambda: index)
    counted = []
    count = index.counts
    monkeypatch.setattr(index, "counts", lambda terms: counted.append(terms) or count(terms))
    search.search("organoid", language="en")
    search.search("Organoids", language="zh-hans")
    assert len(counted) == 1
    ConditionFactory(name_en="Organoid bank")  # any change starts a new generation
    assert search.search("organoid", language="en").total == 2
    assert len(counted) == 2


# --- declarations and parsing ----------------------------------------------------------
def test_every_translated_field_is_searched_unless_it_is_the_title_or_a_keyword():
    """A new translated field is in the index without a search edit."""
    from portal.i18n import translated_fields

    for source in search.sources():
        left_out = {source.title_field, *source.keyword_fields}
        assert set(source.text_fields) == translated_fields(source.model) - left_out, source


def test_the_types_are_declared_by_the_apps_in_the_order_of_the_facets():
    assert search.kinds() == ("therapy", "category", "mechanism", "molecule", "condition", "policy", "authority")


def test_a_translated_keyword_is_matched_in_every_language_and_kept_out_of_the_text(db):
    from tests.factories import AuthorityFactory

    AuthorityFactory(abbreviation_en="ZQXA", abbreviation_zh_hans="卓群局", description_en="Regulates.")
    for query in ("zqxa", "卓群局"):
        [result] = search.search(query, language="en", types={"authority"}).results
        assert "ZQXA" not in result.snippet


def test_a_page_of_results_tokenises_the_query_once(db, monkeypatch):
    from portal.search import tokens

    for n in range(4):
        PolicyDocumentFactory(title_en=f"Organoid rules {n}", summary_en="Organoid banks and organoid grafts.")
    calls = []
    tokenise = tokens.tokenise
    monkeypatch.setattr(tokens, "tokenise", lambda text, **kwargs: calls.append(kwargs) or tokenise(text, **kwargs))
    page = search.search("organoid banks", language="en")
    assert len(page.results) == 4 and all("<mark>" in result.snippet for result in page.results)
    assert calls == [{"for_query": True}]
