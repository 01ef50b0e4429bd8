"""How a resource's lists and details are read: rows shaped by plans compiled from its serializers.

`Reader(request, resource)` serves one request. Everything it shows is declared by the
resource's serializers (portal/api/rows.py compiles them); it only decides which queries
to run:
- a list page: one query for the rows of the page (with the joined foreign keys), plus one
  per relation a list item shows, for the whole page at once;
- a detail: one for the object with its foreign keys, one UNION ALL for every relation whose
  columns are text (compact objects, link rows and the rows nested under them, such as a
  mechanism link's molecules), and one for each other relation (a therapy's approvals, a
  document's key provisions, an approval's events).

Relations come from `visible_to(user)` querysets, so drafts stay out exactly as in the
serializers. For readers who see only published content (everyone but staff) the
statements of a detail do not depend on who asks, so they are compiled once per process
and language (portal/prepared.py); for staff they are built afresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from portal import i18n
from portal.api.rows import Context, Nested, Plan, Relation, plan_for
from portal.links import slug_path_builder
from portal.prepared import prepared_rows
from portal.selectors import plain, split_union_rows, union_queryset


@dataclass(frozen=True)
class Resource:
    """The three shapes of one resource, as its viewset declares them."""

    list_serializer: type
    detail_serializer: type
    brief_serializer: type

    @cached_property
    def list_plan(self) -> Plan:
        return plan_for(self.list_serializer)

    @cached_property
    def detail_plan(self) -> Plan:
        return plan_for(self.detail_serializer)

    @cached_property
    def brief_plan(self) -> Plan:
        return plan_for(self.brief_serializer)

    @cached_property
    def detail_nested(self) -> list[Nested]:
        return [nested for relation in self.detail_plan.relations for nested in relation.nested]

    @cached_property
    def detail_groups(self) -> tuple[list[Relation | Nested], list[Relation | Nested]]:
        """(relations read together in one UNION ALL, relations read one query each), nested
        ones included."""
        relations = [*self.detail_plan.relations, *self.detail_nested]
        return [r for r in relations if r.unionable()], [r for r in relations if not r.unionable()]

    @property
    def key(self) -> str:
        """Names the resource's prepared statements (portal/prepared.py)."""
        return f"{self.detail_serializer.__module__}.{self.detail_serializer.__qualname__}"


class Reader:
    """One resource's list items and details, in the active language, for one request."""

    def __init__(self, request, resource: Resource):
        self.resource = resource
        self.user = request.user
        self.suffix = i18n.suffix()
        self.context = Context(
            user=self.user, suffix=self.suffix, base_url=request.build_absolute_uri("/")[:-1],
            path=slug_path_builder(), zone=timezone.get_current_timezone(),
        )
        # What `visible_to()` shows this reader depends on nothing but the status.
        self.sees_published_only = not (self.user.is_active and self.user.is_staff)

    def visible(self, model) -> QuerySet:
        return model.objects.visible_to(self.user)

    # --- lists ------------------------------------------------------------------------------
    def list_rows(self, queryset: QuerySet) -> QuerySet:
        """The filtered, ordered queryset as rows with the list columns (for the paginator)."""
        return plain(queryset).values(*dict.fromkeys(("id", *self.resource.list_plan.columns)))

    def brief_rows(self, queryset: QuerySet) -> QuerySet:
        return plain(queryset).values(*self.resource.brief_plan.columns)

    def items(self, rows) -> list[dict]:
        plan = self.resource.list_plan
        rows = list(rows)
        for relation in plan.relations:
            self.attach_page_relation(relation, rows)
        return [plan.item(row, self.context) for row in rows]

    def brief_items(self, rows) -> list[dict]:
        plan = self.resource.brief_plan
        return [plan.item(row, self.context) for row in rows]

    def attach_page_relation(self, relation: Relation, rows: list[dict]) -> None:
        """The related rows of every row of the page, in one query; then, one query each,
        the rows nested under those (approvals' events)."""
        ids = [row["id"] for row in rows]
        owner, queryset = relation.page_queryset(self.visible, ids)
        grouped = defaultdict(list)
        children = list(plain(queryset).values(owner, *relation.columns)) if rows else []
        for related in children:
            grouped[related[owner]].append(related)
        for row in rows:
            row[relation.key] = grouped.get(row["id"], [])
        for nested in relation.nested:
            found = nested.page_queryset(self.visible, ids)
            nested.attach(children, list(plain(found).values(nested.owner_column, *nested.columns)) if children else [],
                          on_page=True)

    # --- details ----------------------------------------------------------------------------
    def retrieve(self, queryset: QuerySet, slug: str) -> dict:
        """The detail of the object with `slug` in `queryset` (its `visible_to(user)`)."""
        plan = self.resource.detail_plan
        columns = list(dict.fromkeys(("id", *plan.columns)))
        found = self.fetch("detail", lambda slug: queryset.filter(slug=slug), columns, slug=slug)
        if not found:
            raise Http404
        row = found[0]
        together, apart = self.resource.detail_groups
        if together:
            row.update(self.fetch_together(together, row["id"]))
        for relation in apart:
            row[relation.key] = self.fetch(
                relation.source, lambda pk, relation=relation: relation.queryset(self.visible, pk),
                relation.columns, pk=row["id"])
        for nested in self.resource.detail_nested:
            nested.attach(row[nested.parent.key], row.pop(nested.key))
        return plan.item(row, self.context)

    def fetch(self, name: str, build: Callable[..., QuerySet], columns: list[str], **values) -> list[dict]:
        """Rows (dicts of `columns`) of the queryset `build(**values)`; prepared once per
        process for readers who see published content only."""
        key = (self.resource.key, name, self.suffix) if self.sees_published_only else None
        rows = prepared_rows(key, lambda **given: plain(build(**given)).values_list(*columns), **values)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def fetch_together(self, relations: list[Relation | Nested], pk: int) -> dict[str, list[dict]]:
        """The rows of every relation in `relations`, in one UNION ALL (union_queryset)."""
        columns = [relation.columns for relation in relations]

        def build(pk):
            return union_queryset([(relation.queryset(self.visible, pk), cols)
                                   for relation, cols in zip(relations, columns, strict=True)])

        key = (self.resource.key, "relations", self.suffix) if self.sees_published_only else None
        parts = split_union_rows(prepared_rows(key, build, pk=pk), [len(cols) for cols in columns])
        return {relation.key: [dict(zip(cols, values, strict=True)) for values in rows]
                for relation, cols, rows in zip(relations, columns, parts, strict=True)}
