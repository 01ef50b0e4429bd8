"""Read-side helpers shared by the public pages of both apps and the API.

`load_links` fetches the short lists of related items a detail page shows as links
(a therapy's conditions, targets, policies...) in one query instead of one per relation,
through `union_queryset`, which the API's readers use too; `load_rows` reads other rows of a
page with the objects their foreign keys point to; both are prepared statements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, F, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language
from modeltranslation.manager import append_translated, get_translatable_fields_for_model

from portal.prepared import prepared_rows

# Every item is published (the querysets come from `published()`), so the instances need
# these fields to link to themselves and to know their status.
LINK_FIELDS = ("id", "slug", "status")


@dataclass(frozen=True)
class Links:
    """One relation shown as links: the published `model` items whose `lookup` is the page's
    object (in display order) become the list `attr` on the object, with only `fields` (text
    columns; a translated field brings every language) loaded besides id, slug and status."""

    attr: str
    model: type
    lookup: str
    fields: tuple[str, ...]

    def queryset(self, pk: int) -> QuerySet:
        return self.model.objects.published().filter(**{self.lookup: pk})

    def columns(self) -> list[str]:
        return _concrete_columns(self.model, (*LINK_FIELDS, *self.fields))


def load_links(obj, relations: Sequence[Links], *, name: str | None = None) -> None:
    """Set each relation's items on `obj` as a list, all fetched in one query (`union_rows`).

    Links are published items whoever asks, so with a `name` for the set of relations the
    statement is built once per process and language (portal.prepared) and each page only
    swaps its object in. Fields that were not loaded are deferred, as with `only()`.
    """
    columns = [relation.columns() for relation in relations]

    def build(pk):
        parts = zip((relation.queryset(pk) for relation in relations), columns, strict=True)
        return union_queryset(list(parts))

    key = ("links", name, get_language()) if name else None
    found = split_union_rows(prepared_rows(key, build, pk=obj.pk), [len(cols) for cols in columns])
    for relation, cols, rows in zip(relations, columns, found, strict=True):
        setattr(obj, relation.attr, [relation.model.from_db(connection.alias, cols, values) for values in rows])


@dataclass(frozen=True)
class Nested:
    """Rows under each row of a `Rows` (an approval's events, a mechanism link's molecules),
    read in the same query through a LEFT JOIN on `relation` (a reverse foreign key, a
    many-to-many or a `FilteredRelation` the queryset annotates): each row gets the list
    `attr` of `model` instances with `fields`, and their `joined` foreign keys."""

    relation: str
    attr: str
    model: type
    fields: tuple[str, ...]
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def own_columns(self) -> list[str]:
        return _concrete_columns(self.model, ("id", *self.fields))

    def joined_columns(self, name: str) -> list[str]:
        return _concrete_columns(self.model._meta.get_field(name).related_model, ("id", *self.joined[name]))


@dataclass(frozen=True)
class Rows:
    """Rows of one model shown on a page, each with the objects some of its foreign keys point
    to (as `select_related` would), loaded by one prepared statement: `queryset(key)` gives
    the rows for the page's object (by its id or slug), `fields` the columns of the model to
    load and `joined` those of each foreign key's target (a translated field brings every
    language)."""

    queryset: Callable[[int | str], QuerySet]
    model: type
    fields: tuple[str, ...]
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Values the queryset annotates (an approval's derived `status`), set as attributes.
    annotations: tuple[str, ...] = ()
    nested: Nested | None = None

    def own_columns(self) -> list[str]:
        return _concrete_columns(self.model, ("id", *self.fields))

    def joined_columns(self, name: str) -> list[str]:
        return _concrete_columns(self.model._meta.get_field(name).related_model, ("id", *self.joined[name]))


def plain(queryset: QuerySet) -> QuerySet:
    """`queryset` with modeltranslation's rewriting off, for reading named columns.

    It would select them in an arbitrary order and rebuild each row in Python; the columns
    asked for here are already per language (`name_en`), and the ordering and filters
    applied so far were made language-aware when they were added."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def _concrete_columns(model, fields) -> list[str]:
    """The columns of `fields`, in the model's field order (as `Model.from_db` wants)."""
    translated = get_translatable_fields_for_model(model)
    wanted = set(append_translated(model, fields) if translated else fields)
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


def load_rows(name: str, spec: Rows, key: int | str) -> list:
    """The instances `spec` describes for the page's object `key`, their joined objects in
    place (None where a foreign key is empty), and their nested rows. Prepared once per
    process and language: the rows are the same whoever reads the page."""
    own = spec.own_columns()
    joined = _joined(spec)
    columns = [*own, *spec.annotations, *_joined_columns(joined)]
    nested = spec.nested
    if nested is not None:
        nested_own = nested.own_columns()
        nested_joined = _joined(nested)
        columns += [f"{nested.relation}__{column}"
                    for column in (*nested_own, *_joined_columns(nested_joined))]
    rows = prepared_rows(("rows", name, get_language()),
                         lambda page_object: plain(spec.queryset(page_object)).values_list(*columns),
                         page_object=key)
    instances: dict[object, object] = {}
    for values in rows:
        pk = values[own.index("id")]
        instance = instances.get(pk)
        if instance is None:
            instance = instances[pk] = spec.model.from_db(connection.alias, own, values[: len(own)])
            for annotation, value in zip(spec.annotations, values[len(own):], strict=False):
                setattr(instance, annotation, value)
            position = _set_joined(instance, joined, values, len(own) + len(spec.annotations))
            if nested is not None:
                setattr(instance, nested.attr, [])
        else:
            position = len(own) + len(spec.annotations) + sum(len(cols) for _m, cols in joined.values())
        if nested is not None and values[position] is not None:
            child = nested.model.from_db(connection.alias, nested_own, values[position:position + len(nested_own)])
            _set_joined(child, nested_joined, values, position + len(nested_own))
            getattr(instance, nested.attr).append(child)
    return list(instances.values())


def _joined(spec) -> dict[str, tuple[type, list[str]]]:
    return {fk: (spec.model._meta.get_field(fk).related_model, spec.joined_columns(fk)) for fk in spec.joined}


def _joined_columns(joined) -> list[str]:
    return [f"{fk}__{column}" for fk, (_model, cols) in joined.items() for column in cols]


def _set_joined(instance, joined, values, position: int) -> int:
    """Put the joined objects read from `values[position:]` in place; the position after them."""
    for fk, (target_model, cols) in joined.items():
        target_values = values[position:position + len(cols)]
        position += len(cols)
        instance._state.fields_cache[fk] = (
            None if target_values[0] is None else target_model.from_db(connection.alias, cols, target_values))
    return position


def cited_by(model, pk: int, references: QuerySet) -> QuerySet:
    """The `references` (a queryset of them) that object `pk` of `model` cites, in their own
    order. The relation has no reverse name, so it is read through its link table."""
    field = model._meta.get_field("references")
    links = field.remote_field.through.objects.filter(**{field.m2m_field_name(): pk})
    return references.filter(pk__in=links.values(field.m2m_reverse_field_name()))


def set_prefetched(obj, relation: str, instances: list) -> None:
    """Make `obj.<relation>.all()` answer `instances` from memory, as `prefetch_related` would.

    The queryset holding them comes from the plain base manager: building the related
    manager's own (an approval's annotated status) would cost more than the page's rows."""
    queryset = obj._meta.get_field(relation).related_model._base_manager.all()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def union_rows(parts: Sequence[tuple[QuerySet, Sequence[str]]]) -> list[list[tuple]]:
    """The `columns` of every row of each queryset, all in one UNION ALL query.

    Each part numbers its rows in its own queryset's order (ROW_NUMBER), so every list comes
    back sorted exactly as a query of its own would sort it.
    """
    return split_union_rows(union_queryset(parts), [len(columns) for _queryset, columns in parts])


def union_queryset(parts: Sequence[tuple[QuerySet, Sequence[str]]]) -> QuerySet:
    """The UNION ALL behind `union_rows`: rows of (part index, position, columns padded
    with NULLs to the widest part), in part and position order."""
    width = max(len(columns) for _queryset, columns in parts)
    selects = []
    for index, (queryset, columns) in enumerate(parts):
        # Underscored names cannot clash with a model field (TherapyCategory has `position`).
        values = {f"_c{i}": F(column) for i, column in enumerate(columns)}
        values |= {f"_c{i}": Value(None, output_field=CharField()) for i in range(len(columns), width)}
        query = queryset.query
        ordering = list(query.order_by or (queryset.model._meta.ordering if query.default_ordering else ()))
        queryset = queryset.order_by()
        if hasattr(queryset, "rewrite"):
            # modeltranslation would reorder the selected columns and redirect `name` to one
            # language; the union needs its columns exactly as listed. (Its ordering was
            # already made language-aware when the queryset was created.)
            queryset = queryset.rewrite(False)
        selects.append(
            queryset.annotate(
                _relation=Value(index), _position=Window(RowNumber(), order_by=ordering or None), **values,
            ).values_list("_relation", "_position", *values)
        )
    rows = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    return rows.order_by("_relation", "_position")


def split_union_rows(rows, widths: Sequence[int]) -> list[list[tuple]]:
    """Rows of `union_queryset` back into one list of column tuples per part."""
    found: list[list[tuple]] = [[] for _ in widths]
    for index, _position, *values in rows:
        found[index].append(tuple(values[: widths[index]]))
    return found
