"""The snippet under each result: a window of its text around the first match, matches marked.

It is given the request's parsed `Query`, so a page of results tokenises the query once,
not twice per result. Words of the text are stemmed as the index stems them, so "Grafts"
is marked for the query "graft"; Chinese is marked where the query's run occurs as a whole,
else by the run's bigrams.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.search.tokens import WORD, Query, cjk_terms, normalise, word_term

SNIPPET_LENGTH = 220
# Snippets scan this far past their window, so a word the window cuts is still marked.
MAX_WORD_LENGTH = 64


def _word_spans(text: str, stems: frozenset[str], start: int, end: int) -> Iterator[tuple[int, int]]:
    if not stems:  # a Chinese query: no word of the text can match
        return
    for match in WORD.finditer(text, start, end):
        word = match.group()
        # NFKC leaves ASCII alone, so an ASCII word (most of them) only needs lowering.
        term = word_term(word.lower() if word.isascii() else normalise(word))
        if term and term in stems:
            yield match.span()


def _cjk_needles(text: str, runs: tuple[str, ...]) -> list[str]:
    return [needle for run in runs for needle in ([run] if run in text else cjk_terms(run, with_unigrams=False))]


def _first_match(text: str, query: Query, needles: list[str]) -> int | None:
    """Where the first match in `text` starts, reading no further than it."""
    first = next(_word_spans(text, query.stems, 0, len(text)), (None,))[0]
    for needle in needles:
        found = text.find(needle, 0, first if first is not None else len(text))
        if found != -1:
            first = found
    return first


def _match_spans(text: str, query: Query, needles: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of `text[start:end]` that match: same stems, or the Chinese text itself."""
    spans = list(_word_spans(text, query.stems, start, end))
    for needle in needles:
        spans.extend(m.span() for m in re.compile(re.escape(needle)).finditer(text, start, end))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: Query, length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of `text` around the first match, escaped, with matches in <mark>."""
    text = " ".join(str(text or "").split())
    needles = _cjk_needles(text, query.runs)
    first = _first_match(text, query, needles)
    start = max(0, first - length // 4) if first else 0
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    # Only the window is scanned; a little past its end, so a word cut by it still counts.
    spans = _match_spans(text, query, needles, start, min(len(text), end + MAX_WORD_LENGTH))
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
