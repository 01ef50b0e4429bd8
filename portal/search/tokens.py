"""Terms: what the index stores and a query asks for, the same on every database.

English words become their Snowball stem (so "therapies" finds "therapy"); Chinese text,
written without spaces, is cut into single characters and character bigrams (so 干细胞
matches as 干细 + 细胞 without a dictionary). A query is cut the same way, Chinese by bigrams
only, and parsed once per request into a `Query` that the ranking and the snippets share.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

# Han ideographs (CJK unified, extension A, compatibility): no spaces between words.
_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"([{_CJK_RANGES}]+)|([^\W_{_CJK_RANGES}]+)")
CJK_RUN = re.compile(rf"[{_CJK_RANGES}]+")
WORD = re.compile(rf"[^\W_{_CJK_RANGES}]+")
# Words so common that requiring them would only lose results ("what is CAR-T").
_STOPWORDS = frozenset(
    "a an and are as at be by for from how in is it of on or the to what which who with".split()
)
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 12
TERM_LENGTH = 64
_LINE_BREAKS_AS_SPACES = str.maketrans("\n\t", "  ")


@cache
def _stemmer():
    return snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    """Fold width and case (NFKC turns full-width Latin into ASCII), drop control characters."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    # Printable text has no category C characters: skip the per-character check (most text).
    if not text.translate(_LINE_BREAKS_AS_SPACES).isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    return text.casefold()


@lru_cache(maxsize=100_000)
def word_term(word: str) -> str | None:
    """The term of one normalised word, None for a stopword."""
    # The pure-Python stemmer dominates indexing time; a vocabulary is small, so remember it.
    if word in _STOPWORDS:
        return None
    return _stemmer().stemWord(word)[:TERM_LENGTH]


def cjk_terms(run: str, *, with_unigrams: bool) -> list[str]:
    """The bigrams of a Chinese run (and its characters, `with_unigrams`); a lone character is itself."""
    if len(run) == 1:
        return [run]
    bigrams = [run[i:i + 2] for i in range(len(run) - 1)]
    return [*run, *bigrams] if with_unigrams else bigrams


def tokenise(text: str, *, for_query: bool = False) -> list[str]:
    """Terms of `text`: stems of words, characters and bigrams of Chinese runs.

    Indexing keeps single characters too, so a one-character query still finds something;
    a query of two or more characters is matched by its bigrams only, which is precise.
    """
    terms: list[str] = []
    for cjk, word in _TOKEN.findall(normalise(text)):
        if cjk:
            terms.extend(cjk_terms(cjk, with_unigrams=not for_query))
        else:
            term = word_term(word)
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


@dataclass(frozen=True)
class Query:
    """A query parsed once: its text as shown, the terms an entry must hold, and what a
    snippet marks (the English stems, and the Chinese runs as typed)."""

    text: str
    terms: list[str]
    stems: frozenset[str]
    runs: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str | None) -> Query:
        text = clean_query(raw)
        terms = query_terms(text)
        return cls(
            text=text,
            terms=terms,
            stems=frozenset(term for term in terms if not CJK_RUN.fullmatch(term)),
            runs=tuple(CJK_RUN.findall(normalise(text))),
        )
