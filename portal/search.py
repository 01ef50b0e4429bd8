"""Site search over every published item, in English and Chinese, on SQLite and PostgreSQL.

Each published item gets one `SearchEntry` (the title and text readers see, per language)
and a set of `SearchTerm` rows: English words reduced to their Snowball stem (so
"therapies" finds "therapy") and Chinese text cut into single characters and character
bigrams (so 干细胞 matches as 干细 + 细胞 without a dictionary). A query is tokenised the same
way and an entry matches when it holds every query term; the (term, entry) index keeps this
one index scan per term, whatever the size of the catalogue. Terms come from both languages,
so a Chinese query finds items on the English site and the other way round.

The index follows the content through signals (`connect_signals`, called by the app) and
can be rebuilt from scratch with `manage.py rebuild_search_index`.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache

import snowballstemmer
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_migrate, post_save
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portal.choices import EditorialStatus
from portal.markdown import render_markdown
from portal.models import SearchEntry, SearchTerm
from portal.page_cache import cached_for_generation
from portal.selectors import union_rows

# Han ideographs (CJK unified, extension A, compatibility): no spaces between words.
_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"([{_CJK_RANGES}]+)|([^\W_{_CJK_RANGES}]+)")
_CJK_RUN = re.compile(rf"[{_CJK_RANGES}]+")
_WORD = re.compile(rf"[^\W_{_CJK_RANGES}]+")
# Snippets scan this far past their window, so a word the window cuts is still marked.
MAX_WORD_LENGTH = 64
# Words so common that requiring them would only lose results ("what is CAR-T").
_STOPWORDS = frozenset(
    "a an and are as at be by for from how in is it of on or the to what which who with".split()
)
logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 12
TERM_LENGTH = 64
TITLE_WEIGHT = 10
BODY_WEIGHT_CAP = 5
SNIPPET_LENGTH = 220


@cache
def _stemmer():
    return snowballstemmer.stemmer("english")


_LINE_BREAKS_AS_SPACES = str.maketrans("\n\t", "  ")


def normalise(text: str) -> str:
    """Fold width and case (NFKC turns full-width Latin into ASCII), drop control characters."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    # Printable text has no category C characters: skip the per-character check (most text).
    if not text.translate(_LINE_BREAKS_AS_SPACES).isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return text.casefold()


@lru_cache(maxsize=100_000)
def _word_term(word: str) -> str | None:
    # The pure-Python stemmer dominates indexing time; a vocabulary is small, so remember it.
    if word in _STOPWORDS:
        return None
    return _stemmer().stemWord(word)[:TERM_LENGTH]


def _cjk_terms(run: str, *, with_unigrams: bool) -> list[str]:
    bigrams = [run[i:i + 2] for i in range(len(run) - 1)]
    if len(run) == 1:
        return [run]
    return ([*run, *bigrams]) if with_unigrams else bigrams


def tokenise(text: str, *, for_query: bool = False) -> list[str]:
    """Terms of `text`: stems of words, characters and bigrams of Chinese runs.

    Indexing keeps single characters too, so a one-character query still finds something;
    a query of two or more characters is matched by its bigrams only, which is precise.
    """
    terms: list[str] = []
    for cjk, word in _TOKEN.findall(normalise(text)):
        if cjk:
            terms.extend(_cjk_terms(cjk, with_unigrams=not for_query))
        else:
            term = _word_term(word)
            if term:
                terms.append(term)
    return terms


def query_terms(query: str) -> list[str]:
    """Distinct terms of a query, in order, at most MAX_QUERY_TERMS of them."""
    seen: dict[str, None] = {}
    for term in tokenise(str(query or "")[:MAX_QUERY_LENGTH], for_query=True):
        seen.setdefault(term, None)
    return list(seen)[:MAX_QUERY_TERMS]


def clean_query(raw: str | None) -> str:
    """The query as it may be shown back and searched: no control characters, bounded length."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# --- what is indexed -------------------------------------------------------------------
def _suffix(language: str) -> str:
    return language.replace("-", "_")


def translated(obj, field_name: str, language: str) -> str:
    """The field in `language`, falling back to English like the pages do."""
    value = getattr(obj, f"{field_name}_{_suffix(language)}", None)
    return str(value or getattr(obj, f"{field_name}_en", None) or getattr(obj, field_name, "") or "")


# Text without any Markdown or HTML syntax is already plain: skip the (slow) renderer for it.
_MARKUP = re.compile(r"[<>&*_`#\[\]|]|^\s*(?:[-+]|\d+\.)\s", re.M)


def _plain(markdown_text: str) -> str:
    if not _MARKUP.search(markdown_text):
        return markdown_text.strip()
    return html.unescape(strip_tags(render_markdown(markdown_text))).strip()


@dataclass(frozen=True)
class Source:
    """How one model is indexed: its title, its text and untranslated keywords."""

    kind: str
    label: str
    model_label: str
    url_name: str
    title_field: str
    text_fields: tuple[str, ...]
    keyword_fields: tuple[str, ...] = ()
    title_prefix_field: str | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def title(self, obj, language: str) -> str:
        title = translated(obj, self.title_field, language)
        if self.title_prefix_field:
            prefix = getattr(obj, self.title_prefix_field)
            return f"{prefix}: {title}" if title and title != prefix else prefix
        return title

    def text(self, obj, language: str) -> str:
        parts = (_plain(translated(obj, name, language)) for name in self.text_fields)
        return "\n\n".join(part for part in parts if part)

    def keywords(self, obj) -> str:
        return " ".join(str(getattr(obj, name, "") or "") for name in self.keyword_fields)


SOURCES: tuple[Source, ...] = (
    Source("therapy", _("Therapies and products"), "therapies.Therapy", "therapies:therapy-detail",
           "name", ("summary", "body", "cell_type", "developer"), ("generic_name", "slug")),
    Source("category", _("Categories"), "therapies.TherapyCategory", "therapies:category-detail",
           "name", ("description",), ("slug",)),
    Source("mechanism", _("Mechanisms"), "therapies.Mechanism", "therapies:mechanism-detail",
           "name", ("summary", "body"), ("slug",)),
    Source("molecule", _("Molecules"), "therapies.Molecule", "therapies:molecule-detail",
           "name", ("description",), ("symbol", "aliases", "uniprot", "hgnc_id"), title_prefix_field="symbol"),
    Source("condition", _("Conditions"), "therapies.Condition", "therapies:condition-detail",
           "name", ("description",), ("icd10", "icd10_cm", "slug")),
    Source("policy", _("Policy documents"), "policies.PolicyDocument", "policies:policy-detail",
           "title", ("summary", "body"), ("title_original", "document_number")),
    Source("authority", _("Authorities"), "policies.Authority", "policies:authority-detail",
           "name", ("description",), ("abbreviation_en", "abbreviation_zh_hans")),
)
SOURCE_BY_KIND = {source.kind: source for source in SOURCES}
KINDS = tuple(SOURCE_BY_KIND)


def _source_for(model: type[models.Model]) -> Source | None:
    return next((s for s in SOURCES if s.model_label == model._meta.label), None)


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _entry_for(source: Source, obj) -> tuple[SearchEntry, dict[str, int]]:
    """The entry with its title and text per language, and one term -> weight map built from
    every language. A title or keyword hit outranks any number of hits in the text."""
    titles = {language: source.title(obj, language)[:500] for language in _languages()}
    texts = {language: source.text(obj, language) for language in _languages()}
    title_terms: set[str] = set(tokenise(source.keywords(obj).replace("-", " ")))
    body_counts: Counter[str] = Counter()
    # Untranslated fields fall back to English, so identical texts are counted once.
    for title in set(titles.values()):
        title_terms.update(tokenise(title))
    for text in set(texts.values()):
        body_counts.update(tokenise(text))
    weights = {
        term: (TITLE_WEIGHT if term in title_terms else 0) + min(body_counts[term], BODY_WEIGHT_CAP)
        for term in title_terms | set(body_counts)
    }
    entry = SearchEntry(kind=source.kind, object_id=obj.pk, slug=obj.slug, titles=titles, texts=texts)
    return entry, weights


# --- storage: one interface, a term table or PostgreSQL vectors -----------------------
# A very common term ("cell", 细胞) matches most of a 120 000-item catalogue: counting and
# ranking every match would read them all. Past this many matches of a kind its count says
# "1000+", and on PostgreSQL the ranking covers the title hits plus this many other matches.
RESULT_CAP = 1000
# The search statements' time limit on PostgreSQL, for what the cap does not bound.
STATEMENT_TIMEOUT_MS = 1000


class TermTableIndex:
    """One `SearchTerm` row per entry and term: the index on SQLite (development, half of CI).

    Exact counts and ranking over every match, which suits the curated-size catalogue SQLite
    holds. Same terms and weights as `VectorIndex`, so the same results."""

    def write(self, pairs: list[tuple[SearchEntry, dict[str, int]]]) -> None:
        entries = SearchEntry.objects.bulk_create([entry for entry, _weights in pairs])
        SearchTerm.objects.bulk_create(
            (SearchTerm(entry=entry, term=term, weight=weight)
             for entry, (_unused, weights) in zip(entries, pairs, strict=True) for term, weight in weights.items()),
            batch_size=5000,
        )

    @contextmanager
    def bulk_load(self):
        with transaction.atomic():
            SearchTerm.objects.all().delete()
            SearchEntry.objects.all().delete()
            yield

    @contextmanager
    def time_limit(self):
        yield

    def counts(self, terms: list[str]) -> dict[str, int]:
        """Matches per kind: the entries holding every term."""
        matching = (SearchTerm.objects.filter(term__in=terms).values("entry_id")
                    .annotate(hits=Count("id")).filter(hits=len(terms)))
        return dict(
            SearchEntry.objects.filter(id__in=matching.values("entry_id"))
            .values_list("kind").annotate(n=Count("id")).order_by()
        )

    def holding(self, terms: list[str], kind: str) -> models.QuerySet:
        """The entries of `kind` holding every term."""
        entries = (SearchTerm.objects.filter(term__in=terms, entry__kind=kind).values("entry_id")
                   .annotate(hits=Count("id")).filter(hits=len(terms)))
        return SearchEntry.objects.filter(id__in=entries.values("entry_id"))

    def page(self, terms: list[str], kinds: set[str], *, capped: bool, start: int, stop: int) -> list[SearchEntry]:
        """Matching entries of `kinds` from `start` to `stop`, best first, with their `score`
        (the sum of the terms' weights); ties in the order of indexing."""
        return list(
            SearchEntry.objects.filter(kind__in=kinds, terms__term__in=terms).defer("vector", "title_vector")
            .annotate(hits=Count("terms"), score=Sum("terms__weight")).filter(hits=len(terms))
            .order_by("-score", "id")[start:stop]
        )


@lru_cache(maxsize=100_000)
def _lexeme(term: str) -> str:
    """A term quoted for a tsvector or tsquery literal, so PostgreSQL takes it as it is."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _kind_term(kind: str) -> str:
    return f"kind:{kind}"  # the tokeniser never makes a term with a colon


def _tsquery(terms: list[str], kinds: set[str] | None = None) -> str:
    """Every term, and one of `kinds` unless that is all of them."""
    query = " & ".join(_lexeme(term) for term in terms)
    if kinds and set(kinds) != set(KINDS):
        query += " & (" + " | ".join(_lexeme(_kind_term(kind)) for kind in sorted(kinds)) + ")"
    return query


_FULL_VECTOR = '"portal_searchentry"."vector"'
_TITLE_VECTOR = '"portal_searchentry"."title_vector"'
# Read the weights from the title vector (small, kept in the row) when it holds every query
# term, and from the large vector otherwise.
_TITLE_OR_FULL_VECTOR = (
    f"CASE WHEN {_TITLE_VECTOR} @@ (SELECT %s::tsquery) THEN {_TITLE_VECTOR} ELSE {_FULL_VECTOR} END")


def _score(terms: list[str], vector_sql: str, vector_params: tuple = ()) -> RawSQL:
    """The sum of the query terms' weights, which the vectors keep as each lexeme's one
    position. setweight + ts_filter keep just the query's lexemes before unnest, so an entry
    unnests a handful of rows, not its ~400 terms."""
    # The vector SQL is one of the constants above; values are parameters.
    sql = f"""(SELECT coalesce(sum(term.positions[1]), 0)
        FROM unnest(ts_filter(setweight({vector_sql}, 'A', %s::text[]), '{{a}}')) AS term)"""  # noqa: S608
    return RawSQL(sql, [*vector_params, terms], output_field=models.IntegerField())  # noqa: S611


class VectorIndex:
    """PostgreSQL: each entry's terms in a `tsvector` with a GIN index, no term rows.

    A query term is one GIN lookup whatever the catalogue size; there is no 48-million-row
    term table to fill or group. `vector` holds every term with its weight as its position,
    `title_vector` the title and keyword terms; both hold the entry's kind ('kind:policy'),
    so a type restriction is part of the same GIN lookup. Counts stop at RESULT_CAP + 1 per
    kind. The score is the one `TermTableIndex` computes, exact over every match below the
    cap; above it, over the entries with every query term in their title or keywords (the
    "title hits") plus the first RESULT_CAP matches the index yields."""

    def write(self, pairs: list[tuple[SearchEntry, dict[str, int]]]) -> None:
        """COPY the entries in: an INSERT of the same rows spends most of its time escaping
        and parsing ~10 kB of literals per entry (a full rebuild took twice as long)."""
        rows = io.StringIO()
        writer = csv.writer(rows, quoting=csv.QUOTE_ALL)  # quoted, so "" stays an empty string
        for entry, weights in pairs:
            kind = _lexeme(_kind_term(entry.kind))
            lexemes = {term: f"{_lexeme(term)}:{weight}" for term, weight in weights.items()}
            title_lexemes = (lexemes[term] for term, weight in weights.items() if weight >= TITLE_WEIGHT)
            writer.writerow([
                entry.kind, entry.object_id, entry.slug, json.dumps(entry.titles), json.dumps(entry.texts),
                " ".join([kind, *lexemes.values()]), " ".join([kind, *title_lexemes]),
            ])
        rows.seek(0)
        with connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.copy_expert(
                "COPY portal_searchentry (kind, object_id, slug, titles, texts, vector, title_vector) "
                "FROM STDIN WITH (FORMAT csv)", rows)

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
        queries = [_tsquery(terms, {kind}) for kind in KINDS]
        with connection.cursor() as cursor:
            cursor.execute(sql, [RESULT_CAP + 1, list(KINDS), queries])
            return {kind: n for kind, n in cursor.fetchall() if n}

    def holding(self, terms: list[str], kind: str) -> models.QuerySet:
        """The entries of `kind` holding every term (the planner sees the terms: `holds`)."""
        return SearchEntry.objects.filter(kind=kind, vector__holds=_tsquery(terms))

    def page(self, terms: list[str], kinds: set[str], *, capped: bool, start: int, stop: int) -> list[SearchEntry]:
        tsquery = _tsquery(terms, kinds)
        entries = SearchEntry.objects.values("id").order_by()
        if not capped:
            return self._ranked(entries.filter(vector__matches=tsquery), _score(terms, _FULL_VECTOR), start, stop)
        title_hits = entries.filter(title_vector__matches=tsquery)[:RESULT_CAP]
        # The title hits alone answer the page if its lowest score beats anything an entry
        # missing a query term in its title can reach: only the small title vectors are read.
        page = self._ranked(title_hits, _score(terms, _TITLE_VECTOR), start, stop)
        best_elsewhere = TITLE_WEIGHT * (len(terms) - 1) + BODY_WEIGHT_CAP * len(terms)
        if len(page) == stop - start and page[-1].score > best_elsewhere:
            return page
        candidates = title_hits.union(entries.filter(vector__matches=tsquery)[:RESULT_CAP])
        return self._ranked(candidates, _score(terms, _TITLE_OR_FULL_VECTOR, (tsquery,)), start, stop)

    @staticmethod
    def _ranked(candidates: models.QuerySet, score: RawSQL, start: int, stop: int) -> list[SearchEntry]:
        return list(
            SearchEntry.objects.filter(id__in=candidates).defer("vector", "title_vector")
            .annotate(score=score).order_by("-score", "id")[start:stop]
        )


def _index() -> TermTableIndex | VectorIndex:
    return VectorIndex() if connection.vendor == "postgresql" else TermTableIndex()


def _counts(index: TermTableIndex | VectorIndex, terms: list[str]) -> dict[str, int]:
    """Matches per kind, counted once per content generation and query: a very common term
    costs the database more to count (every match of the term is read) than to rank a page,
    and popular queries repeat. Like list totals, the count can never be stale."""
    key = hashlib.blake2b("\n".join([str(RESULT_CAP), *sorted(terms)]).encode(), digest_size=16).hexdigest()
    return cached_for_generation(f"search-counts:{key}", lambda: index.counts(terms))


def indexed_match(query: str, model: type[models.Model]) -> Exists | None:
    """A filter condition on `model`: the object's index entry holds every term of `query`
    (so it is published). None when the model is not indexed or the query has no terms."""
    source = _source_for(model)
    terms = query_terms(clean_query(query))
    if source is None or not terms:
        return None
    return Exists(_index().holding(terms, source.kind).filter(object_id=OuterRef("pk")))


def is_timeout(error: DatabaseError) -> bool:
    """PostgreSQL cancelled the statement at `statement_timeout` (SQLSTATE 57014)."""
    return getattr(error.__cause__, "pgcode", None) == "57014"


def index_object(obj) -> None:
    """Bring the index in line with `obj`: entries while it is published, none otherwise."""
    source = _source_for(type(obj))
    if source is None:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).delete()
        if obj.status == EditorialStatus.PUBLISHED:
            _index().write([_entry_for(source, obj)])


def unindex_object(obj) -> None:
    source = _source_for(type(obj))
    if source is not None:
        SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).delete()


def rebuild_index(batch_size: int = 1000) -> int:
    """Drop and rebuild the whole index in bulk; returns how many items were indexed."""
    index = _index()
    count = 0
    with index.bulk_load():
        for source in SOURCES:
            batch: list[tuple[SearchEntry, dict[str, int]]] = []
            for obj in source.model.objects.published().order_by("pk").iterator(chunk_size=batch_size):
                batch.append(_entry_for(source, obj))
                count += 1
                if len(batch) >= batch_size:
                    index.write(batch)
                    batch = []
            if batch:
                index.write(batch)
    return count


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        index_object(instance)


def _on_delete(sender, instance, **kwargs):
    unindex_object(instance)


AUTO_REBUILD_LIMIT = 5000


def rebuild_if_empty(**kwargs) -> None:
    """After migrate: a database with published content but no index (a fresh index table)
    gets one, so search never silently finds nothing. Only for a curated-size catalogue: at
    benchmark scale (120k items) a rebuild takes minutes, so `migrate` leaves it to
    `manage.py rebuild_search_index` and says so. Nothing after a partial migrate (a
    rollback to an older index layout): the tables are not the ones this code writes."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    try:
        if SearchEntry.objects.exists():
            return
        total = sum(s.model.objects.published().count() for s in SOURCES)
    except DatabaseError:  # `migrate <one app>`: some content tables do not exist yet
        return
    if 0 < total <= AUTO_REBUILD_LIMIT:
        rebuild_index()
    elif total:
        logger.warning("The search index is empty; run `manage.py rebuild_search_index` (%d items).", total)


def connect_signals() -> None:
    post_migrate.connect(rebuild_if_empty, sender=apps.get_app_config("portal"), dispatch_uid="search-post-migrate")
    for source in SOURCES:
        post_save.connect(_on_save, sender=source.model, dispatch_uid=f"search-save-{source.kind}")
        post_delete.connect(_on_delete, sender=source.model, dispatch_uid=f"search-delete-{source.kind}")


# --- querying --------------------------------------------------------------------------
@dataclass
class SearchResult:
    type: str
    slug: str
    title: str
    snippet: SafeString
    object: models.Model
    score: int
    url: str

    @property
    def type_label(self) -> str:
        return SOURCE_BY_KIND[self.type].label


@dataclass
class SearchPage:
    query: str
    terms: list[str]
    # Matches of the requested types, at most RESULT_CAP; `capped` when there are more.
    total: int = 0
    capped: bool = False
    results: list[SearchResult] = field(default_factory=list)
    # kind -> number of matches, for every type (ignoring the `types` filter), in KINDS order,
    # each at most RESULT_CAP; the kinds with more are in `capped_facets`.
    facets: dict[str, int] = field(default_factory=dict)
    capped_facets: set[str] = field(default_factory=set)
    # The database gave up at STATEMENT_TIMEOUT_MS: nothing is known, not "nothing found".
    timed_out: bool = False


def search(
    query: str, *, language: str, types: set[str] | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Published items matching every term of `query`, best first.

    Queries: one for the type counts, one for the page of entries, and one per type present
    on the page to load the (published) objects; on PostgreSQL one more sets the time limit.
    Only the first RESULT_CAP matches can be paged through.
    """
    query = clean_query(query)
    terms = query_terms(query)
    page = SearchPage(query=query, terms=terms)
    if not terms:
        return page
    index = _index()
    wanted = set(KINDS) if not types else set(types) & set(KINDS)
    start = max(offset, 0)
    try:
        with index.time_limit():
            counts = _counts(index, terms)
            page.facets = {kind: min(counts[kind], RESULT_CAP) for kind in KINDS if counts.get(kind)}
            page.capped_facets = {kind for kind in page.facets if counts[kind] > RESULT_CAP}
            matched = sum(n for kind, n in counts.items() if kind in wanted)
            page.total, page.capped = min(matched, RESULT_CAP), matched > RESULT_CAP
            if start >= page.total or limit <= 0:
                return page
            entries = index.page(terms, wanted, capped=page.capped, start=start, stop=min(start + limit, RESULT_CAP))
    except DatabaseError as error:
        if not is_timeout(error):
            raise
        logger.warning("Search timed out after %d ms: %r", STATEMENT_TIMEOUT_MS, query)
        return SearchPage(query=query, terms=terms, timed_out=True)
    objects = _load_objects(entries)
    with override(language):
        for entry in entries:
            obj = objects.get((entry.kind, entry.object_id))
            if obj is None:  # unpublished since it was indexed: never shown
                continue
            page.results.append(SearchResult(
                type=entry.kind, slug=entry.slug, title=_shown(entry.titles, language),
                snippet=highlight(_shown(entry.texts, language) or _shown(entry.titles, language), query),
                object=obj, score=entry.score,
                url=reverse(SOURCE_BY_KIND[entry.kind].url_name, kwargs={"slug": entry.slug}),
            ))
    return page


def _shown(by_language: dict[str, str], language: str) -> str:
    return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE) or ""


def _load_objects(entries: Iterable[SearchEntry]) -> dict[tuple[str, int], models.Model]:
    """The entries' objects that are still published (slug and status loaded), in one query
    whatever the number of types on the page."""
    ids_by_kind: dict[str, list[int]] = {}
    for entry in entries:
        ids_by_kind.setdefault(entry.kind, []).append(entry.object_id)
    if not ids_by_kind:
        return {}
    columns = ["id", "slug", "status"]
    models_by_kind = {kind: SOURCE_BY_KIND[kind].model for kind in ids_by_kind}
    found = union_rows([(models_by_kind[kind].objects.published().filter(pk__in=ids), columns)
                        for kind, ids in ids_by_kind.items()])
    loaded = {}
    for kind, rows in zip(ids_by_kind, found, strict=True):
        for values in rows:
            obj = models_by_kind[kind].from_db(connection.alias, columns, values)
            loaded[(kind, obj.pk)] = obj
    return loaded


# --- snippets --------------------------------------------------------------------------
def _query_needles(query: str) -> tuple[set[str], list[str]]:
    """What a snippet marks: the query's English stems, and its Chinese runs (or, where a
    run does not occur as a whole, its bigrams)."""
    stems = {t for t in query_terms(query) if not _CJK_RUN.fullmatch(t)}
    runs = _CJK_RUN.findall(normalise(query))
    return stems, runs


def _word_spans(text: str, stems: set[str], start: int, end: int):
    if not stems:  # a Chinese query: no word of the text can match
        return
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        # NFKC leaves ASCII alone, so an ASCII word (most of them) only needs lowering.
        term = _word_term(word.lower() if word.isascii() else normalise(word))
        if term and term in stems:
            yield match.span()


def _cjk_needles(text: str, runs: list[str]) -> list[str]:
    return [needle for run in runs for needle in ([run] if run in text else _cjk_terms(run, with_unigrams=False))]


def _match_spans(text: str, query: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of `text[start:end]` that match the query: same stems, or the Chinese text itself."""
    end = len(text) if end is None else end
    stems, runs = _query_needles(query)
    spans = list(_word_spans(text, stems, start, end))
    for needle in _cjk_needles(text, runs):
        spans.extend(m.span() for m in re.compile(re.escape(needle)).finditer(text, start, end))
    return _merge(spans)


def _first_match(text: str, query: str) -> int | None:
    """Where the first match in `text` starts, reading no further than it."""
    stems, runs = _query_needles(query)
    first = next(_word_spans(text, stems, 0, len(text)), (None,))[0]
    for needle in _cjk_needles(text, runs):
        found = text.find(needle, 0, first if first is not None else len(text))
        if found != -1:
            first = found
    return first


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: str, length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of `text` around the first match, escaped, with matches in <mark>."""
    text = " ".join(str(text or "").split())
    first = _first_match(text, query)
    start = max(0, first - length // 4) if first else 0
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    # Only the window is scanned; a little past its end, so a word cut by it still counts.
    spans = _match_spans(text, query, start, min(len(text), end + MAX_WORD_LENGTH))
    parts = ["…" if start else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above

