"""Read-side helpers shared by the public pages of both apps.

`load_links` fetches the short lists of related items a detail page shows as links
(a therapy's conditions, targets, policies...) in one query instead of one per relation;
`last_content_change` is the About page's date, remembered per content generation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import CharField, F, Max, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from modeltranslation.manager import append_translated, get_translatable_fields_for_model

from policies.models import PolicyDocument
from portal.page_cache import cached_for_generation
from therapies.models import Therapy

# Every item is published (the querysets come from `published()`), so the instances need
# these fields to link to themselves and to know their status.
LINK_FIELDS = ("id", "slug", "status")


@dataclass(frozen=True)
class Links:
    """One relation shown as links: the items of `queryset` (published, in display order)
    become the list `attr` on the page's object, with only `fields` (text columns; a
    translated field brings every language) loaded besides id, slug and status."""

    attr: str
    queryset: QuerySet
    fields: tuple[str, ...]

    def columns(self) -> list[str]:
        """Concrete columns to load, in the model's field order (as `Model.from_db` wants)."""
        model = self.queryset.model
        translated = get_translatable_fields_for_model(model)
        wanted = {*LINK_FIELDS, *(append_translated(model, self.fields) if translated else self.fields)}
        return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]

    def ordering(self) -> list:
        query = self.queryset.query
        return list(query.order_by or (self.queryset.model._meta.ordering if query.default_ordering else ()))


def load_links(obj, relations: Sequence[Links]) -> None:
    """Set each relation's items on `obj` as a list, all fetched in one UNION ALL query.

    Each part numbers its rows in its own queryset's order (ROW_NUMBER), so every list comes
    back sorted exactly as a query of its own would sort it. Fields that were not loaded
    are deferred, as with `only()`.
    """
    columns = [relation.columns() for relation in relations]
    width = max(len(cols) for cols in columns)
    parts = []
    for index, (relation, cols) in enumerate(zip(relations, columns, strict=True)):
        # Underscored names cannot clash with a model field (TherapyCategory has `position`).
        values = {f"_c{i}": F(col) for i, col in enumerate(cols)}
        values |= {f"_c{i}": Value(None, output_field=CharField()) for i in range(len(cols), width)}
        ordering = relation.ordering()
        queryset = relation.queryset.order_by()
        if hasattr(queryset, "rewrite"):
            # modeltranslation would reorder the selected columns and redirect `name` to one
            # language; the union needs its columns exactly as listed.
            queryset = queryset.rewrite(False)
        parts.append(
            queryset.annotate(
                _relation=Value(index), _position=Window(RowNumber(), order_by=ordering or None), **values,
            ).values_list("_relation", "_position", *values)
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found: list[list] = [[] for _ in relations]
    for index, _position, *values in rows.order_by("_relation", "_position"):
        relation, cols = relations[index], columns[index]
        found[index].append(relation.queryset.model.from_db(relation.queryset.db, cols, values[: len(cols)]))
    for relation, items in zip(relations, found, strict=True):
        setattr(obj, relation.attr, items)


def last_content_change():
    """When published therapies or policies last changed (two scans of large tables, so cached)."""
    def compute():
        stamps = [model.objects.published().aggregate(latest=Max("updated_at"))["latest"]
                  for model in (Therapy, PolicyDocument)]
        return max(filter(None, stamps), default=None) or ""

    return cached_for_generation("last-content-change", compute) or None



def prefetch_together(obj, relations: dict[str, tuple[QuerySet, tuple[str, ...]]]) -> None:
    """Load several relations of `obj` in one query, as if by `prefetch_related`.

    `relations` maps a relation name (`"categories"`) to the queryset of its items (usually
    `obj.categories.visible_to(user)`) and the text fields to load. The items land where
    `prefetch_related` puts them, so `obj.categories.all()` answers from memory and
    serializers read them unchanged.
    """
    links = [Links(f"_together_{name}", queryset, fields) for name, (queryset, fields) in relations.items()]
    load_links(obj, links)
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, link in zip(relations, links, strict=True):
        # The same two attributes Django's own prefetch sets on the relation's queryset.
        queryset = getattr(obj, name).all()
        queryset._result_cache = obj.__dict__.pop(link.attr)
        queryset._prefetch_done = True
        cache[name] = queryset
