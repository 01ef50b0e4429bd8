"""Filter building blocks shared by every app's FilterSets, and the Reference FilterSet.

The FilterSets are used by the JSON API and by the public site's HTML lists alike, so they
know nothing about either: they take a queryset, the query parameters and (optionally) the
request, whose user decides whether related drafts may be matched.
"""

from __future__ import annotations

import copy
from functools import lru_cache, reduce
from operator import or_

import django_filters as filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import search
from portal.choices import EditorialStatus
from portal.i18n import columns
from portal.models import Reference


def translated(*fields: str) -> tuple[str, ...]:
    """`name` -> (`name_en`, `name_zh_hans`): every language's column, so a translated field
    is searched in both languages whatever the reader's language."""
    return tuple(column for field in fields for column in columns(field))


def request_user(filterset):
    request = getattr(filterset, "request", None)
    return getattr(request, "user", None)


class RelatedSlugFilter(filters.CharFilter):
    """Match rows related to the object with this slug, among the objects the user may see.

    Matching goes through `pk__in` on a subquery, so a row never appears twice however many
    links it has, and a draft's slug matches nothing for the public (no existence leak).
    `rows` turns the visible related objects into a values queryset of matching row ids.
    """

    def __init__(self, *, model, rows, **kwargs):
        kwargs.setdefault("help_text", _("Slug of a related %(model)s.") % {"model": model._meta.verbose_name})
        super().__init__(**kwargs)
        self.related_model = model
        self.rows = rows

    def filter(self, qs, value):
        if value in filters.constants.EMPTY_VALUES:
            return qs
        related = self.related_model.objects.visible_to(request_user(self.parent)).filter(slug=value)
        return qs.filter(pk__in=self.rows(related))


class EditorialFilterSet(filters.FilterSet):
    """`status`, `search` and `ordering` for every curated model.

    Subclasses list `search_fields` (columns matched with icontains, any of them) and the
    `ordering` filter's fields. The queryset given is already limited to what the user may
    see, so `status=draft` returns nothing to the public rather than an error.
    """

    search_fields: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter deep-copies every filter for each request, then builds a new form
        # class from them; together that costs more than the list's own query. Each filter
        # here is copied shallowly (it only needs its own `model` and `parent`), and the
        # form class is built once per FilterSet and language (`get_form_class`).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            # A form field another caller built on the shared filter (the schema generator
            # reads base filters, which have no model) would carry a label made without one.
            filter_.__dict__.pop("_field", None)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # binds a `method=` filter to this copy

    def get_form_class(self):
        return _form_class(type(self), get_language())

    status = filters.ChoiceFilter(
        choices=EditorialStatus.choices,
        help_text=_("Editorial status. The public only ever sees `published`."),
    )
    search = filters.CharFilter(method="filter_search", help_text=_("Words contained in the name or text."))

    def filter_search(self, queryset, name, value):
        """Every word must appear. For the public, in the search index (the same stems and
        Chinese bigrams as /search/, one index lookup at any size); staff also see drafts,
        which the index does not hold, so for them each word is a substring of a column."""
        if not queryset.model.user_sees_drafts(request_user(self)):
            indexed = search.indexed_match(value, queryset.model)
            if indexed is not None:
                return queryset.filter(indexed)
        for word in value.split():
            matches = reduce(or_, (Q(**{f"{name}__icontains": word}) for name in self.search_fields))
            # Through a subquery: a field across a relation (a therapy's other names) must
            # not list an item once per matching row.
            queryset = queryset.filter(pk__in=queryset.model._base_manager.filter(matches).values("pk"))
        return queryset


@lru_cache(maxsize=64)
def _form_class(filterset_class, language: str | None):
    """The form django-filter would build for `filterset_class`, built once: its fields come
    from the class's filters, whose labels are in the active language."""
    fields = {}
    for name, base_filter in filterset_class.base_filters.items():
        filter_ = copy.copy(base_filter)  # its label is worked out from the model, then kept
        filter_.__dict__.pop("_field", None)  # as in __init__: never a field built without the model
        filter_.model = filterset_class._meta.model
        fields[name] = filter_.field
    return type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)


class StableOrderingFilter(filters.OrderingFilter):
    """`ordering=` with the primary key as the last sort key, in the direction of the one
    before it: rows that tie (the same stage, the same day) keep one order from page to
    page, and a `(field, id)` index serves the order forwards or backwards."""

    def filter(self, qs, value):
        if value in filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param not in filters.constants.EMPTY_VALUES]
        if not ordering:  # `ordering=,`: keep the default order (order_by() would drop it)
            return qs
        ordering.append("-pk" if ordering[-1].startswith("-") else "pk")
        return qs.order_by(*ordering)


def ordering_filter(*fields: str) -> filters.OrderingFilter:
    """An `ordering` parameter over exactly these fields (prefix `-` to reverse)."""
    return StableOrderingFilter(
        fields=fields,
        help_text=_("Sort by one of the listed fields; prefix with - for descending order."),
    )


class IntegerFilter(filters.NumberFilter):
    """A whole number: NumberFilter's decimal field would take `year=0.5` (and match nothing)."""

    field_class = forms.IntegerField


class ReferenceFilterSet(EditorialFilterSet):
    search_fields = ("title", "authors", "publisher", "doi", "pmid", "slug")

    year = IntegerFilter(min_value=0, max_value=9999, help_text=_("Year of publication."))
    ordering = ordering_filter("title", "year", "updated_at")

    class Meta:
        model = Reference
        fields = ["status", "year"]
