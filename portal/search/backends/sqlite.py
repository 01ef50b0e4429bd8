"""The term table: one `SearchTerm` row per entry and term, the index on SQLite.

SQLite is the zero-setup database of development and half of CI, holding a curated-size
catalogue: the (term, entry) index makes a lookup one index range scan per query term, with
exact counts and ranking over every match. Same terms and weights as the PostgreSQL
backend, so the same results.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import Count, Sum

from portal.models import SearchEntry, SearchTerm


class TermTableIndex:
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
