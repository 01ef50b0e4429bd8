"""Site search over every published item, in English and Chinese, on SQLite and PostgreSQL.

Each published item has one `SearchEntry` (its title and text per language, as shown) and
its terms with their weights: English stems and Chinese characters and bigrams, from every
language at once (`tokens`), weighed so that title and keyword hits rank first (`ranking`).
An entry matches a query when it holds every query term. The terms are stored by one of two
backends behind one interface (`backends`): `tsvector` columns with GIN indexes on
PostgreSQL, `SearchTerm` rows indexed on (term, entry) on SQLite.

What is indexed is declared per model in each app's `search.py` (`indexes`); the index
follows the content through signals and is rebuilt in bulk by `manage.py
rebuild_search_index` (`indexing`). `results` answers queries; `snippets` marks the matches.
This module is the API the rest of the code uses.
"""

from portal.search.indexes import Source, kinds, register, source_for_kind, sources
from portal.search.indexing import connect_signals, index_object, rebuild_if_empty, rebuild_index, unindex_object
from portal.search.results import SearchPage, SearchResult, indexed_match, is_timeout, search
from portal.search.tokens import Query, clean_query, query_terms

__all__ = [
    "Query",
    "SearchPage",
    "SearchResult",
    "Source",
    "clean_query",
    "connect_signals",
    "index_object",
    "indexed_match",
    "is_timeout",
    "kinds",
    "query_terms",
    "rebuild_if_empty",
    "rebuild_index",
    "register",
    "search",
    "source_for_kind",
    "sources",
    "unindex_object",
]
