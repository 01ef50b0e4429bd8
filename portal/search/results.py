"""Querying: a page of ranked results with type facets, and the lists' `search=` condition."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection, models
from django.db.models import Exists, OuterRef
from django.utils.safestring import SafeString
from django.utils.translation import override

from portal.generation import cached_for_generation
from portal.models import SearchEntry
from portal.search import backends, ranking
from portal.search.indexes import kinds, source_for, source_for_kind
from portal.search.snippets import highlight
from portal.search.tokens import Query
from portal.selectors import union_rows

logger = logging.getLogger(__name__)


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
        return source_for_kind(self.type).label


@dataclass
class SearchPage:
    query: str
    terms: list[str]
    # Matches of the requested types, at most RESULT_CAP; `capped` when there are more.
    total: int = 0
    capped: bool = False
    results: list[SearchResult] = field(default_factory=list)
    # kind -> number of matches, for every type (ignoring the `types` filter), in kinds()
    # order, each at most RESULT_CAP; the kinds with more are in `capped_facets`.
    facets: dict[str, int] = field(default_factory=dict)
    capped_facets: set[str] = field(default_factory=set)
    # The database gave up at its statement time limit: nothing is known, not "nothing found".
    timed_out: bool = False


def is_timeout(error: DatabaseError) -> bool:
    """PostgreSQL cancelled the statement at `statement_timeout` (SQLSTATE 57014)."""
    return getattr(error.__cause__, "pgcode", None) == "57014"


def _counts(index, terms: list[str]) -> dict[str, int]:
    """Matches per kind, counted once per content generation and query: a very common term
    costs the database more to count (every match of the term is read) than to rank a page,
    and popular queries repeat. Like list totals, the count can never be stale."""
    key = hashlib.blake2b("\n".join([str(ranking.RESULT_CAP), *sorted(terms)]).encode(), digest_size=16).hexdigest()
    return cached_for_generation(f"search-counts:{key}", lambda: index.counts(terms))


def search(
    query: str, *, language: str, types: set[str] | None = None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """Published items matching every term of `query`, best first.

    Queries: one for the type counts, one for the page of entries, and one per type present
    on the page to load the (published) objects; on PostgreSQL one more sets the time limit.
    Only the first RESULT_CAP matches can be paged through.
    """
    parsed = Query.parse(query)
    page = SearchPage(query=parsed.text, terms=parsed.terms)
    if not parsed.terms:
        return page
    index = backends.get_backend()
    cap = ranking.RESULT_CAP
    every_kind = kinds()
    wanted = set(every_kind) if not types else set(types) & set(every_kind)
    start = max(offset, 0)
    try:
        with index.time_limit():
            counts = _counts(index, parsed.terms)
            page.facets = {kind: min(counts[kind], cap) for kind in every_kind if counts.get(kind)}
            page.capped_facets = {kind for kind in page.facets if counts[kind] > cap}
            matched = sum(n for kind, n in counts.items() if kind in wanted)
            page.total, page.capped = min(matched, cap), matched > cap
            if start >= page.total or limit <= 0:
                return page
            entries = index.page(parsed.terms, wanted, capped=page.capped, start=start, stop=min(start + limit, cap))
    except DatabaseError as error:
        if not is_timeout(error):
            raise
        logger.warning("Search timed out: %r", parsed.text)
        return SearchPage(query=parsed.text, terms=parsed.terms, timed_out=True)
    objects = _load_objects(entries)
    with override(language):
        for entry in entries:
            obj = objects.get((entry.kind, entry.object_id))
            if obj is None:  # unpublished since it was indexed: never shown
                continue
            page.results.append(SearchResult(
                type=entry.kind, slug=entry.slug, title=_shown(entry.titles, language),
                snippet=highlight(_shown(entry.texts, language) or _shown(entry.titles, language), parsed),
                object=obj, score=entry.score, url=source_for_kind(entry.kind).url(entry.slug),
            ))
    return page


def indexed_match(query: str, model: type[models.Model]) -> Exists | None:
    """A filter condition on `model`: the object's index entry holds every term of `query`
    (so it is published). None when the model is not indexed or the query has no terms."""
    source = source_for(model)
    terms = Query.parse(query).terms
    if source is None or not terms:
        return None
    return Exists(backends.get_backend().holding(terms, source.kind).filter(object_id=OuterRef("pk")))


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
    models_by_kind = {kind: source_for_kind(kind).model for kind in ids_by_kind}
    found = union_rows([(models_by_kind[kind].objects.published().filter(pk__in=ids), columns)
                        for kind, ids in ids_by_kind.items()])
    loaded = {}
    for kind, rows in zip(ids_by_kind, found, strict=True):
        for values in rows:
            obj = models_by_kind[kind].from_db(connection.alias, columns, values)
            loaded[(kind, obj.pk)] = obj
    return loaded
