"""PostgreSQL: each entry's terms in a `tsvector` with a GIN index, no term rows.

A query term is one GIN lookup whatever the catalogue size; there is no 48-million-row term
table to fill or group. `vector` holds every term with its weight as its one position
('cell':12), `title_vector` the title and keyword terms; both hold the entry's kind
('kind:policy'), so a type restriction is part of the same GIN lookup. The lexemes are ours
(`portal.search.tokens`), cast from quoted literals and never parsed by PostgreSQL, so both
databases find the same things. Counts stop at RESULT_CAP + 1 per kind; the score is the
one the term table computes, exact over every match below the cap; above it, over the
entries with every query term in their title or keywords (the "title hits") plus the first
RESULT_CAP matches the index yields. `statement_timeout` bounds what the cap does not.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from functools import lru_cache

from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL

from portal.models import SearchEntry
from portal.search import ranking
from portal.search.indexes import kinds as all_kinds

# The search statements' time limit, in milliseconds.
STATEMENT_TIMEOUT_MS = 1000

_FULL_VECTOR = '"portal_searchentry"."vector"'
_TITLE_VECTOR = '"portal_searchentry"."title_vector"'
# Read the weights from the title vector (small, kept in the row) when it holds every query
# term, and from the large vector otherwise.
_TITLE_OR_FULL_VECTOR = (
    f"CASE WHEN {_TITLE_VECTOR} @@ (SELECT %s::tsquery) THEN {_TITLE_VECTOR} ELSE {_FULL_VECTOR} END")
_COPY_ENTRIES = ("COPY portal_searchentry (kind, object_id, slug, titles, texts, vector, title_vector) "
                 "FROM STDIN WITH (FORMAT csv)")


@lru_cache(maxsize=100_000)
def lexeme(term: str) -> str:
    """A term quoted for a tsvector or tsquery literal, so PostgreSQL takes it as it is."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _kind_term(kind: str) -> str:
    return f"kind:{kind}"  # the tokeniser never makes a term with a colon


def tsquery(terms: list[str], kinds: set[str] | None = None) -> str:
    """Every term, and one of `kinds` unless that is all of them."""
    query = " & ".join(lexeme(term) for term in terms)
    if kinds and set(kinds) != set(all_kinds()):
        query += " & (" + " | ".join(lexeme(_kind_term(kind)) for kind in sorted(kinds)) + ")"
    return query


def score(terms: list[str], vector_sql: str, vector_params: tuple = ()) -> RawSQL:
    """The sum of the query terms' weights, which the vectors keep as each lexeme's one
    position. setweight + ts_filter keep just the query's lexemes before unnest, so an entry
    unnests a handful of rows, not its ~400 terms."""
    # The vector SQL is one of the constants above; values are parameters.
    sql = f"""(SELECT coalesce(sum(term.positions[1]), 0)
        FROM unnest(ts_filter(setweight({vector_sql}, 'A', %s::text[]), '{{a}}')) AS term)"""  # noqa: S608
    return RawSQL(sql, [*vector_params, terms], output_field=models.IntegerField())  # noqa: S611


class VectorIndex:
    def write(self, pairs: list[tuple[SearchEntry, dict[str, int]]]) -> None:
        """COPY the entries in: an INSERT of the same rows spends most of its time escaping
        and parsing ~10 kB of literals per entry (a full rebuild took twice as long)."""
        rows = io.StringIO()
        writer = csv.writer(rows, quoting=csv.QUOTE_ALL)  # quoted, so "" stays an empty string
        for entry, weights in pairs:
            kind = lexeme(_kind_term(entry.kind))
            lexemes = {term: f"{lexeme(term)}:{weight}" for term, weight in weights.items()}
            title_lexemes = (lexemes[term] for term, weight in weights.items() if weight >= ranking.TITLE_WEIGHT)
            writer.writerow([
                entry.kind, entry.object_id, entry.slug, json.dumps(entry.titles), json.dumps(entry.texts),
                " ".join([kind, *lexemes.values()]), " ".join([kind, *title_lexemes]),
            ])
        rows.seek(0)
        # `copy_expert` is psycopg2's own API (psycopg 3 spells it `cursor.copy(sql)`), reached
        # through Django's cursor wrapper; a COPY fires no signal, like the DELETEs below.
        # tests/performance/test_search_postgres.py fails if this stops being a COPY.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.copy_expert(_COPY_ENTRIES, rows)

    @contextmanager
    def bulk_load(self):
        """Empty the tables for the caller to refill, in one transaction: readers keep the
        old index until it commits. Plain DELETEs: the ORM's would load every entry first;
        dropping the GIN indexes to build them afresh measured no faster and locks readers out."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM portal_searchterm")
            cursor.execute("DELETE FROM portal_searchentry")
            yield
        if not connection.in_atomic_block:
            # Every old entry is now a dead row the GIN indexes still point to, next to up
            # to 4 MB of pending index entries that each search would scan: clean up now,
            # not at the next autovacuum, and give the planner fresh statistics.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE portal_searchentry")

    @contextmanager
    def time_limit(self):
        """SET LOCAL in a transaction of our own. Inside a caller's transaction (tests,
        scripts) the caller's settings are left alone."""
        if connection.in_atomic_block:
            yield
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [STATEMENT_TIMEOUT_MS])
            yield

    def counts(self, terms: list[str]) -> dict[str, int]:
        """Matches per kind, up to RESULT_CAP + 1 each, so at most that many rows read per
        kind. Each kind's tsquery comes from the outer row, so the planner always takes the
        GIN index (see `TermVectorMatch`)."""
        sql = """
            SELECT kind.name, (
                SELECT count(*) FROM (
                    SELECT 1 FROM portal_searchentry WHERE vector @@ kind.query LIMIT %s
                ) AS hit
            )
            FROM unnest(%s::text[], %s::tsquery[]) AS kind(name, query)
        """
        kinds = list(all_kinds())
        queries = [tsquery(terms, {kind}) for kind in kinds]
        with connection.cursor() as cursor:
            cursor.execute(sql, [ranking.RESULT_CAP + 1, kinds, queries])
            return {kind: n for kind, n in cursor.fetchall() if n}

    def holding(self, terms: list[str], kind: str) -> models.QuerySet:
        """The entries of `kind` holding every term (the planner sees the terms: `holds`)."""
        return SearchEntry.objects.filter(kind=kind, vector__holds=tsquery(terms))

    def page(self, terms: list[str], kinds: set[str], *, capped: bool, start: int, stop: int) -> list[SearchEntry]:
        query = tsquery(terms, kinds)
        entries = SearchEntry.objects.values("id").order_by()
        if not capped:
            return self._ranked(entries.filter(vector__matches=query), score(terms, _FULL_VECTOR), start, stop)
        title_hits = entries.filter(title_vector__matches=query)[:ranking.RESULT_CAP]
        # The title hits alone answer the page if its lowest score beats anything an entry
        # missing a query term in its title can reach: only the small title vectors are read.
        page = self._ranked(title_hits, score(terms, _TITLE_VECTOR), start, stop)
        best_elsewhere = ranking.TITLE_WEIGHT * (len(terms) - 1) + ranking.BODY_WEIGHT_CAP * len(terms)
        if len(page) == stop - start and page[-1].score > best_elsewhere:
            return page
        candidates = title_hits.union(entries.filter(vector__matches=query)[:ranking.RESULT_CAP])
        return self._ranked(candidates, score(terms, _TITLE_OR_FULL_VECTOR, (query,)), start, stop)

    @staticmethod
    def _ranked(candidates: models.QuerySet, by: RawSQL, start: int, stop: int) -> list[SearchEntry]:
        return list(
            SearchEntry.objects.filter(id__in=candidates).defer("vector", "title_vector")
            .annotate(score=by).order_by("-score", "id")[start:stop]
        )
