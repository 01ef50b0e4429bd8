"""The API's read path, derived from the serializers: each field once, two ways to read it.

A serializer class is the one declaration of a resource's shape (list, detail, compact).
Going through model instances and DRF's field objects for every value costs several times
what the rest of a request does, so `plan_for(serializer_class)` reads the serializer's
fields once per process and compiles them into a `Plan`: the columns to load with
`values()`, the relations to fetch for a page or a detail, and one small `Part` per field
that turns a row (a dict) into that field's JSON value.

The compiler knows the field kinds of DRF that map one-to-one to a column (text, choices,
numbers, dates, date-times; a modeltranslation field reads the active language with English
as fallback, as its descriptor does), a many `LinkedSlugField` (a relation of compact
objects) and a nested many serializer (link rows, approvals). A field with custom code
states its row side beside its `to_representation`, as one method `row_part()`
(portal/api/fields.py): both paths then run the same function. Any other field is refused
when the plan is compiled, naming the serializer and the field, so a field cannot appear
on one path only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from portal import i18n

# DRF fields whose representation of a stored value is the value itself.
PLAIN_FIELDS = (
    serializers.CharField, serializers.ChoiceField, serializers.IntegerField, serializers.BooleanField,
    serializers.FloatField,
)
# Column types a UNION ALL of several relations can mix (text beside text, NULL padding).
TEXT_TYPES = frozenset({"CharField", "TextField", "SlugField", "URLField", "EmailField"})


class Context:
    """What turning rows into JSON needs to know about the request, read once per response."""

    def __init__(self, *, user, suffix: str, base_url: str, path: Callable[[str, str], str], zone):
        self.user, self.suffix, self.base_url, self.path, self.zone = user, suffix, base_url, path, zone

    def api_url(self, basename: str, slug: str) -> str:
        return self.base_url + self.path(f"api:{basename}-detail", slug)


# --- parts: one per serializer field ------------------------------------------------------
class Part:
    """How one field reads from a row: the `columns` it needs and its `value(row, context)`."""

    name: str
    columns: tuple[str, ...] = ()
    # Relations this part reads (their rows are put in the row under `relation.key`).
    relations: tuple[Relation, ...] = ()

    def value(self, row: dict, context: Context) -> Any:
        raise NotImplementedError


class Column(Part):
    def __init__(self, name: str, column: str, convert: Callable | None = None):
        self.name, self.column, self.convert = name, column, convert
        self.columns = (column,)

    def value(self, row, context):
        value = row[self.column]
        return value if self.convert is None or value is None else self.convert(value)


class DateTimeColumn(Column):
    """What DRF's DateTimeField writes: ISO 8601 in the current time zone, UTC as "Z"."""

    def value(self, row, context):
        return iso_datetime(row[self.column], context.zone)


class Text(Part):
    """A translated field in the active language, English when that is empty (modeltranslation)."""

    def __init__(self, name: str, field_name: str, prefix: str = ""):
        self.name = name
        self.columns = tuple(i18n.columns(field_name, prefix))
        self.by_suffix = dict(zip(i18n.suffixes(), self.columns, strict=True))
        self.fallback = self.columns[0]

    def value(self, row, context):
        return row[self.by_suffix[context.suffix]] or row[self.fallback] or ""


class Computed(Part):
    """A value computed from other values of the row by one function shared with the serializer
    (`DerivedField`, `PartialDateField`, `MarkdownHtmlField`): `reads` are parts giving its inputs."""

    def __init__(self, name: str, function: Callable, reads: list[Part]):
        self.name, self.function, self.reads = name, function, reads
        self.columns = tuple(column for part in reads for column in part.columns)

    def value(self, row, context):
        return self.function(*(part.value(row, context) for part in self.reads))


class ApiUrl(Part):
    def __init__(self, name: str, basename: str, prefix: str = ""):
        self.name, self.basename, self.slug = name, basename, f"{prefix}slug"
        self.columns = (self.slug,)

    def value(self, row, context):
        return context.api_url(self.basename, row[self.slug])


class WebUrl(Part):
    """The object's public page (`WebUrlField`)."""

    def __init__(self, name: str, url_name: str, prefix: str = ""):
        self.name, self.url_name, self.slug = name, url_name, f"{prefix}slug"
        self.columns = (self.slug,)

    def value(self, row, context):
        return context.base_url + context.path(self.url_name, row[self.slug])


class Joined(Part):
    """A foreign key shown as the target's compact form, read from the same row through a join;
    null when it is empty or the reader may not see the target (`LinkedSlugField`)."""

    def __init__(self, name: str, model, compact: Plan, prefix: str):
        self.name, self.model, self.compact = name, model, compact
        self.slug, self.status = f"{prefix}slug", f"{prefix}status"
        self.columns = tuple(dict.fromkeys((self.slug, self.status, *compact.columns)))

    def value(self, row, context):
        if row[self.slug] is None or not self.model.status_visible_to(row[self.status], context.user):
            return None
        return self.compact.item(row, context)


class Many(Part):
    """A list of related objects (compact forms or nested rows), from a relation fetched apart."""

    def __init__(self, name: str, relation: Relation):
        self.name, self.relation = name, relation
        self.relations = (relation,)

    def value(self, row, context):
        item = self.relation.plan.item
        return [item(child, context) for child in row[self.relation.key]]


class Distinct(Part):
    """The distinct values of one column of a relation's rows, sorted (`DistinctValuesField`)."""

    def __init__(self, name: str, relation: Relation, column: str):
        self.name, self.relation, self.column = name, relation, column
        self.relations = (relation,)

    def value(self, row, context):
        return sorted({child[self.column] for child in row[self.relation.key]})


class Gathered(Part):
    """Distinct compact objects from a joined foreign key and from the same key of each row
    of a relation (`CitedReferencesField`)."""

    def __init__(self, name: str, own: Joined, relation: Relation, of_rows: Joined):
        self.name, self.own, self.relation, self.of_rows = name, own, relation, of_rows
        self.columns = own.columns
        self.relations = (relation,)

    def value(self, row, context):
        items, seen = [], set()
        for item in [self.own.value(row, context),
                     *(self.of_rows.value(child, context) for child in row[self.relation.key])]:
            if item is not None and item["slug"] not in seen:
                seen.add(item["slug"])
                items.append(item)
        return items


# --- relations -----------------------------------------------------------------------------
@dataclass
class Relation:
    """Rows related to an object through `source` (a field or reverse relation of `owner`),
    each read with `plan` plus `extra` columns. Rows of editorial models come from the
    reader's `visible_to(user)`; link rows (`link_target`) only where the reader may see their
    target, as the serializers' `VisibleManyRelatedField` and `VisibleLinksSerializer` do."""

    owner: type
    source: str
    plan: Plan
    link_target: str | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"_rel_{self.source}"

    @property
    def model(self) -> type:
        return self.plan.model

    @cached_property
    def row_key(self) -> str:
        """The column that tells this relation's rows of one owner apart, by which the rows
        nested under them are attached: a link row's target slug (unique per owner, and text,
        so a detail's link rows stay in its UNION ALL), else the row's id."""
        return f"{self.link_target}__slug" if self.link_target else "id"

    @cached_property
    def columns(self) -> list[str]:
        own_key = (self.row_key,) if self.plan.relations else ()
        return list(dict.fromkeys((*own_key, *self.plan.columns, *self.extra)))

    @cached_property
    def nested(self) -> list[Nested]:
        """The relations its rows show (a mechanism link's molecules, an approval's events)."""
        return [Nested(self, relation) for relation in self.plan.relations]

    def lookup(self) -> str | None:
        """The name by which the related model filters on its owner, if it has one."""
        relation = self.owner._meta.get_field(self.source)
        if relation.auto_created:  # a reverse relation: the field on the other side
            return relation.field.name
        name = relation.related_query_name()
        return None if name.endswith("+") else name

    def queryset(self, visible: Callable[[type], QuerySet], pk) -> QuerySet:
        """The related rows of object `pk`, in the order the serializer's `.all()` gives."""
        lookup = self.lookup()
        if lookup is None:  # no reverse name (references): through the link table
            relation = self.owner._meta.get_field(self.source)
            links = relation.remote_field.through.objects.filter(**{relation.m2m_field_name(): pk})
            return visible(self.model).filter(pk__in=links.values(relation.m2m_reverse_field_name()))
        return self.rows(visible).filter(**{lookup: pk})

    def page_queryset(self, visible: Callable[[type], QuerySet], ids: list[int]) -> tuple[str, QuerySet]:
        """(owner column, queryset) of the related rows of every object in `ids`, for a list page."""
        lookup = self.lookup()
        if lookup is None:
            name = f"{self.owner.__name__}.{self.source}"
            raise ImproperlyConfigured(f"a list cannot show {name}: it has no reverse name")
        return lookup, self.rows(visible).filter(**{f"{lookup}__in": ids})

    def rows(self, visible: Callable[[type], QuerySet]) -> QuerySet:
        """Every row the reader may see, before the filter on the owner."""
        queryset = visible(self.model) if _is_editorial(self.model) else self.model.objects.all()
        if self.link_target:
            target = self.model._meta.get_field(self.link_target).related_model
            queryset = queryset.filter(**{f"{self.link_target}__in": visible(target)})
        return queryset

    def unionable(self) -> bool:
        """Whether its rows can share one UNION ALL with other relations: text columns only."""
        return all(_column_type(self.model, column) in TEXT_TYPES for column in self.columns)


class Nested:
    """The rows of `relation` under the rows of `parent`, for all of an owner's parent rows
    at once (by the owner's id, not through the parent rows), each tagged with its parent's
    `row_key`: a therapy's mechanism links' molecules are one more part of the therapy's
    UNION ALL rather than a query of their own. Rows under a parent the reader may not see
    are read but attached to nothing."""

    def __init__(self, parent: Relation, relation: Relation):
        through, owner = relation.lookup(), parent.lookup()
        if through is None or owner is None or relation.plan.relations:
            raise ImproperlyConfigured(
                f"{parent.owner.__name__}.{parent.source}.{relation.source}: nested rows are read "
                "one level deep, through relations with a reverse name")
        self.parent, self.relation = parent, relation
        self.key = f"{parent.key}.{relation.source}"
        self.source = f"{parent.source}.{relation.source}"
        self.parent_column = f"{through}__{parent.row_key}"
        self.owner_column = f"{through}__{owner}"
        self.columns = list(dict.fromkeys((self.parent_column, *relation.columns)))

    def queryset(self, visible: Callable[[type], QuerySet], pk) -> QuerySet:
        """The nested rows under every parent row of object `pk`."""
        return self.relation.rows(visible).filter(**{self.owner_column: pk})

    def page_queryset(self, visible: Callable[[type], QuerySet], ids: list[int]) -> QuerySet:
        return self.relation.rows(visible).filter(**{f"{self.owner_column}__in": ids})

    def attach(self, parents: list[dict], rows: list[dict], *, on_page: bool = False) -> None:
        """Put each of `rows` under its parent in `parents`. On a list page the parents belong
        to several owners, so the rows carry their owner (`owner_column`) as well."""
        def owner(row, column):
            return row[column] if on_page else None

        grouped = defaultdict(list)
        for row in rows:
            grouped[owner(row, self.owner_column), row[self.parent_column]].append(row)
        owner_of_parent = self.parent.lookup()
        for parent in parents:
            parent[self.relation.key] = grouped.get((owner(parent, owner_of_parent), parent[self.parent.row_key]), [])

    def unionable(self) -> bool:
        return all(_column_type(self.relation.model, column) in TEXT_TYPES for column in self.columns)


def _is_editorial(model) -> bool:
    """Whether the model's rows are filtered by reader (`visible_to`): curated models, and
    rows public with their parent (approvals)."""
    return hasattr(model._default_manager, "visible_to")


def _column_type(model, column: str) -> str:
    *path, last = column.split("__")
    try:
        for name in path:
            model = model._meta.get_field(name).related_model
        return model._meta.get_field(last).get_internal_type()
    except FieldDoesNotExist:  # an annotation (an approval's derived status)
        return ""


# --- plans ---------------------------------------------------------------------------------
@dataclass
class Plan:
    """A serializer compiled for rows: the columns to load, the relations, a part per field."""

    serializer_class: type
    model: type
    parts: list[Part]

    @cached_property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(column for part in self.parts for column in part.columns))

    @cached_property
    def relations(self) -> list[Relation]:
        return list({id(relation): relation for part in self.parts for relation in part.relations}.values())

    def item(self, row: dict, context: Context) -> dict:
        return {part.name: part.value(row, context) for part in self.parts}


@cache
def plan_for(serializer_class, prefix: str = "") -> Plan:
    """The plan of `serializer_class` over rows whose columns start with `prefix`."""
    model = serializer_class.Meta.model
    serializer = serializer_class()
    parts: list[Part] = []
    relations: dict[str, Relation] = {}
    for name, serializer_field in serializer.fields.items():
        if serializer_field.write_only:
            continue
        try:
            parts.append(part_for(name, serializer_field, model, prefix, relations))
        except (FieldDoesNotExist, ImproperlyConfigured) as error:
            raise ImproperlyConfigured(
                f"{serializer_class.__name__}.{name}: the API's rows cannot read this field ({error}). "
                "Give it a `row_part()` (portal/api/fields.py) or make it a model field."
            ) from error
    return Plan(serializer_class, model, parts)


def relation_for(model, source: str, relations: dict[str, Relation], plan: Callable[[], Plan],
                 link_target: str | None = None) -> Relation:
    """The relation through `source`, one per plan however many fields read it."""
    if source not in relations:
        relations[source] = Relation(model, source, plan(), link_target)
    return relations[source]


def part_for(name: str, serializer_field, model, prefix: str, relations: dict[str, Relation]) -> Part:
    """The part that reads `serializer_field` (named `name`) of a `model` row."""
    row_part = getattr(serializer_field, "row_part", None)
    if row_part is not None:
        return row_part(name, model, prefix, relations)
    if isinstance(serializer_field, ManyRelatedField):
        compact = serializer_field.child_relation.compact
        relation = relation_for(model, serializer_field.source, relations, lambda: plan_for(compact))
        return Many(name, relation)
    if isinstance(serializer_field, serializers.ListSerializer):
        child = type(serializer_field.child)
        relation = relation_for(model, serializer_field.source, relations, lambda: plan_for(child),
                                getattr(child.Meta, "link_target", None))
        return Many(name, relation)
    return column_part(name, serializer_field, model, prefix)


def column_part(name: str, serializer_field, model, prefix: str) -> Part:
    """A field that shows one concrete column of the model as it is stored."""
    source = serializer_field.source
    model_field = model._meta.get_field(source)
    if not model_field.concrete or model_field.is_relation:
        raise ImproperlyConfigured(f"“{source}” is not a column of {model.__name__}")
    if source in i18n.translated_fields(model):
        return Text(name, source, prefix)
    column = prefix + model_field.attname
    if isinstance(serializer_field, serializers.DateTimeField):
        return DateTimeColumn(name, column)
    if isinstance(serializer_field, serializers.DateField):
        return Column(name, column, iso_date)
    if isinstance(serializer_field, PLAIN_FIELDS):
        return Column(name, column)
    raise ImproperlyConfigured(f"no row form for a {type(serializer_field).__name__}")


def iso_datetime(value, zone) -> str | None:
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value) -> str:
    return value.isoformat()
