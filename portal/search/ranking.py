"""How matches are weighed and how far they are counted, the same for both backends.

An entry's score for a query is the sum of the query terms' weights in it. A term's weight
is TITLE_WEIGHT when it is in the title or keywords, plus its count in the text up to
BODY_WEIGHT_CAP, so a title or keyword hit outranks any number of hits in the text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from portal.search.tokens import tokenise

TITLE_WEIGHT = 10
BODY_WEIGHT_CAP = 5
# A very common term ("cell", 细胞) matches most of a 120 000-item catalogue: counting and
# ranking every match would read them all. Past this many matches of a kind its count says
# "1000+", and on PostgreSQL the ranking covers the title hits plus this many other matches.
# Read as `ranking.RESULT_CAP` at call time, so tests can lower it.
RESULT_CAP = 1000


def term_weights(titles: Iterable[str], texts: Iterable[str], keywords: str) -> dict[str, int]:
    """One term -> weight map from every language's title and text and the keywords."""
    title_terms: set[str] = set(tokenise(keywords.replace("-", " ")))
    body_counts: Counter[str] = Counter()
    # Untranslated fields fall back to English, so identical texts are counted once.
    for title in set(titles):
        title_terms.update(tokenise(title))
    for text in set(texts):
        body_counts.update(tokenise(text))
    return {
        term: (TITLE_WEIGHT if term in title_terms else 0) + min(body_counts[term], BODY_WEIGHT_CAP)
        for term in title_terms | set(body_counts)
    }
