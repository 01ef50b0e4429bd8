"""Page-number pagination with strict input: bad numbers are a 400, a page past the end a 404."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from portal.paginators import CachedCountPaginator


def positive_int(request, name: str) -> int | None:
    """The query parameter `name` as a positive integer, None when absent, else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: [_("Give a whole number of 1 or more.")]})
    return value


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; `page_size` defaults to 20 and is capped at 100."""

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    django_paginator_class = CachedCountPaginator

    def get_schema_operation_parameters(self, view):
        """OpenAPI: the bounds `positive_int` enforces, and the cap on `page_size`."""
        bounds = {self.page_query_param: {"minimum": 1},
                  self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size}}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def get_page_size(self, request):
        requested = positive_int(request, self.page_size_query_param)
        # An oversized page is capped rather than refused, so scripts asking for "all" still work.
        return self.page_size if requested is None else min(requested, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        positive_int(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)
