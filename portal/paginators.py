"""A paginator whose total is counted once per content generation, not on every page view.

`COUNT(*)` over 100 000 policies costs more than fetching the page itself, and the answer
only changes when content does. The count is remembered under the exact SQL of the list
(filters, visibility rule and all) and the content generation, so it is never stale: any
save, publish or delete starts a new generation (see `portal.generation`).
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from portal.generation import cached_for_generation


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (`pk__in=[]`)
            return 0
        key = hashlib.blake2b(f"{queryset.db}\n{sql}\n{params!r}".encode(), digest_size=16).hexdigest()
        return cached_for_generation(f"count:{key}", queryset.count)
