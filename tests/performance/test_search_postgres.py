"""Search on PostgreSQL: weighted tsvectors with GIN indexes instead of term rows, the
statement time limit, and the capped ranking's shortcuts agreeing with the full ranking.

Skipped on SQLite, which keeps the term table; tests/site/test_search.py runs on both.
"""

import time

import pytest
from django.conf import settings
from django.db import connection

from portal import search
from portal.models import SearchEntry, SearchTerm
from portal.search.backends import postgres
from tests.factories import ConditionFactory, PolicyDocumentFactory

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="needs PostgreSQL"
)


def test_an_entry_keeps_its_weighted_terms_in_vectors_not_term_rows(db):
    PolicyDocumentFactory(title_en="Organoid banks", summary_en="Rules for organoid biobanks.")
    vector, title_vector = SearchEntry.objects.values_list("vector", "title_vector").get(kind="policy")
    assert "'organoid':11" in vector.split()  # title 10 + one mention in the text
    assert "'biobank':1" in vector.split() and "'biobank'" not in title_vector
    assert "'kind:policy'" in title_vector.split()
    assert not SearchTerm.objects.exists()


def test_both_vectors_have_a_gin_index(db):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "portal_searchentry").values()
    gin_columns = {tuple(index["columns"]) for index in indexes if index.get("type") == "gin"}
    assert gin_columns == {("vector",), ("title_vector",)}


@pytest.mark.parametrize("term", ["o'brien", "back\\slash", "细胞", "kind:policy"])
def test_lexemes_are_quoted_so_postgresql_takes_them_as_they_are(db, term):
    with connection.cursor() as cursor:
        cursor.execute("SELECT (%s)::tsvector @@ (%s)::tsquery, (%s)::tsvector",
                       [postgres.lexeme(term) + ":3", postgres.lexeme(term), postgres.lexeme(term)])
        matches, vector = cursor.fetchone()
    assert matches and vector == postgres.lexeme(term)


@pytest.fixture
def ranked_world(db):
    """Entries with 'organoid' and 'bank' in titles and texts, in different amounts."""
    PolicyDocumentFactory(title_en="Organoid bank rules", summary_en="Organoid bank.")
    PolicyDocumentFactory(title_en="Organoid notice", summary_en="Bank of organoids, organoids, organoids.")
    PolicyDocumentFactory(title_en="Bank notice", summary_en="Organoid organoid bank bank bank.")
    PolicyDocumentFactory(title_en="Notice", summary_en="Organoid bank " * 6)
    PolicyDocumentFactory(title_en="Other notice", summary_en="An organoid in a bank.")
    ConditionFactory(name_en="Organoid graft failure", description_en="No bank.")


@pytest.mark.parametrize("query", ["organoid", "organoid bank", "bank"])
@pytest.mark.parametrize(("start", "stop"), [(0, 1), (0, 3), (1, 4), (0, 20)])
def test_the_capped_ranking_gives_the_full_rankings_page_when_every_match_is_a_candidate(
        ranked_world, query, start, stop):
    """Below the cap every match is a candidate, so the title-hit shortcut and the scores
    read from the title vector must give exactly the page the plain ranking gives."""
    index, terms = postgres.VectorIndex(), search.query_terms(query)
    capped = index.page(terms, set(search.kinds()), capped=True, start=start, stop=stop)
    full = index.page(terms, set(search.kinds()), capped=False, start=start, stop=stop)
    assert [(entry.slug, entry.score) for entry in capped] == [(entry.slug, entry.score) for entry in full]


def test_search_statements_stop_at_the_time_limit(transactional_db, monkeypatch):
    def slow_counts(self, terms):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_MS", 100)
    monkeypatch.setattr(postgres.VectorIndex, "counts", slow_counts)
    started = time.monotonic()
    page = search.search("cell", language="en")
    assert page.timed_out and time.monotonic() - started < 1.5


def test_the_time_limit_ends_with_the_search(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
        search.search("cell", language="en")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before


def test_rebuild_outside_a_transaction_commits_and_vacuums(transactional_db):
    PolicyDocumentFactory(title_en="Organoid banks")  # and its authority
    SearchEntry.objects.all().delete()
    assert search.rebuild_index() == SearchEntry.objects.count() == 2
    assert search.search("organoid", language="en").total == 1


def test_a_rebuild_writes_the_entries_with_copy_exactly(db):
    """`VectorIndex.write` uses psycopg2's `copy_expert`, which Django's query log never sees:
    no INSERT may reach the entry table, and text CSV must quote (commas, quotes, line
    breaks, backslashes, an empty translation) comes back as written."""
    from django.test.utils import CaptureQueriesContext

    tricky = 'Organoid "banks", 干细胞\nline two \\ back\\slash'
    PolicyDocumentFactory(title_en="Organoid banks", title_zh_hans="", summary_en=tricky, body_en="", body_zh_hans="")
    with CaptureQueriesContext(connection) as queries:
        assert search.rebuild_index() == SearchEntry.objects.count() == 2
    assert not [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"] and "portal_searchentry" in q["sql"]]
    entry = SearchEntry.objects.get(kind="policy")
    assert entry.texts["en"] == tricky
    assert entry.titles == {"en": "Organoid banks", "zh-hans": "Organoid banks"}
    assert "'organoid':11" in entry.vector.split() and "'kind:policy'" in entry.title_vector.split()
    assert search.search("干细胞", language="en").total == 1
