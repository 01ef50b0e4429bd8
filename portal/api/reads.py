"""The API's read path: every resource as plain dicts built from `values()` rows.

A cold list of 50 therapies through model instances (every translated column of three
models per row) and DRF serializer fields (~1 000 field calls) cost ~20 ms of CPU; rows
and dict literals cost a small fraction of that. The serializers stay the contract: they
validate writes and describe every response in the OpenAPI schema, and
tests/api/test_reads.py checks, for every resource, both languages and both kinds of
reader, that a serializer and its reader give the same JSON.

A `Reader` serves one request. Subclasses list the columns a list item and a detail need
and turn one row into one dict; relations are loaded for a whole page or detail at once,
each from a `visible_to(user)` queryset, so drafts stay out exactly as in the serializers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator

from portal.api.serializers import ReferenceCompactSerializer
from portal.links import slug_path_builder
from portal.markdown import render_markdown
from portal.models import Reference
from portal.prepared import prepared_rows
from portal.selectors import cited_by, plain, split_union_rows, union_queryset

# Language code -> the suffix of its modeltranslation columns (zh-hans -> name_zh_hans).
LANGUAGE_SUFFIXES = {code: code.replace("-", "_") for code, _name in settings.LANGUAGES}


@cache
def translated_fields(model) -> frozenset[str]:
    try:
        return frozenset(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return frozenset()


def text_columns(model, field: str, prefix: str = "") -> list[str]:
    """Columns to load for `field`: one per language when modeltranslation translates it."""
    if field in translated_fields(model):
        return [f"{prefix}{field}_{suffix}" for suffix in LANGUAGE_SUFFIXES.values()]
    return [f"{prefix}{field}"]


def iso_datetime(value, zone=None) -> str | None:
    """What DRF's DateTimeField writes: ISO 8601 in the current time zone, UTC as "Z"."""
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class Compact:
    """How a related object reads: slug, its label fields, url (a `CompactSerializer`)."""

    model: type
    basename: str
    labels: tuple[str, ...]

    @classmethod
    def of(cls, serializer_class) -> Compact:
        labels = tuple(name for name in serializer_class._declared_fields if name != "slug")
        return cls(serializer_class.Meta.model, serializer_class.Meta.basename, labels)

    def columns(self, prefix: str = "") -> list[str]:
        columns = [f"{prefix}slug", f"{prefix}status"]
        for label in self.labels:
            columns += text_columns(self.model, label, prefix)
        return columns


REFERENCE = Compact.of(ReferenceCompactSerializer)


class Reader:
    """One resource's list items and details, in the active language, for one request.

    `list_fields` and `detail_fields` name the model fields a row needs (a translated field
    loads both languages); `foreign_keys` (lists and details) and `detail_foreign_keys`
    map each foreign key shown as a compact object to its compact form, loaded in the same
    row through a join. `relations` names the lists a detail shows: a compact form (a list
    of compact objects) or the text columns of rows the reader shapes itself;
    `relation_querysets(pk)` gives their querysets, all read in one UNION ALL.

    For readers who see only published content (everyone but staff), the statements of a
    detail are the same whoever asks, so they are compiled once per process and language
    (portal.prepared); for staff they are built afresh.
    """

    model: type
    basename: str
    compact: Compact
    list_fields: tuple[str, ...] = ()
    detail_fields: tuple[str, ...] = ()
    foreign_keys: dict[str, Compact] = {}
    detail_foreign_keys: dict[str, Compact] = {}
    relations: dict[str, Compact | list[str]] = {}

    def __init__(self, request):
        self.user = request.user
        self.suffix = LANGUAGE_SUFFIXES.get(get_language(), "en")
        self.base_url = request.build_absolute_uri("/")[:-1]
        self.path = slug_path_builder()
        self.zone = timezone.get_current_timezone()
        # What `visible_to()` shows this reader depends on nothing but the status.
        self.sees_published_only = not (self.user.is_active and self.user.is_staff)

    # --- what the viewset calls -----------------------------------------------------------
    def list_rows(self, queryset: QuerySet) -> QuerySet:
        """The filtered, ordered queryset as rows with the list columns (for the paginator)."""
        return plain(queryset).values(*self.columns(self.list_fields, self.foreign_keys))

    def brief_rows(self, queryset: QuerySet) -> QuerySet:
        return plain(queryset).values(*self.compact.columns())

    def items(self, rows) -> list[dict]:
        rows = list(rows)
        self.load_list_relations(rows)
        return [self.item(row) for row in rows]

    def brief_items(self, rows) -> list[dict]:
        return [self.compact_of(self.compact, row) for row in rows]

    def retrieve(self, queryset: QuerySet, slug: str) -> dict:
        """The detail of the object with `slug` in `queryset` (its `visible_to(user)`)."""
        columns = self.columns(self.detail_fields, {**self.foreign_keys, **self.detail_foreign_keys})
        found = self.fetch("detail", lambda slug: queryset.filter(slug=slug), columns, slug=slug)
        if not found:
            raise Http404
        row = found[0]
        return self.detail(row, self.fetch_relations(row["id"]) if self.relations else {})

    # --- what subclasses write ------------------------------------------------------------
    def head(self, row: dict) -> dict:
        """The fields a list item and a detail both begin with."""
        raise NotImplementedError

    def item(self, row: dict) -> dict:
        return {**self.head(row), **self.common(row)}

    def detail(self, row: dict, linked: dict[str, list[dict]]) -> dict:
        raise NotImplementedError

    def relation_querysets(self, pk: int) -> dict[str, QuerySet]:
        return {}

    def load_list_relations(self, rows: list[dict]) -> None:
        """Attach what a page of list items shows besides its own row; nothing by default."""

    # --- building blocks --------------------------------------------------------------------
    def columns(self, fields: tuple[str, ...], foreign_keys: dict[str, Compact]) -> list[str]:
        columns = ["id", *(column for field in fields for column in text_columns(self.model, field))]
        for name, compact in foreign_keys.items():
            columns += compact.columns(f"{name}__")
        return columns

    def text(self, row: dict, column: str) -> str:
        """A translated column in the active language, English when that is empty (as modeltranslation)."""
        return row[f"{column}_{self.suffix}"] or row[f"{column}_en"] or ""

    def visible(self, model) -> QuerySet:
        return model.objects.visible_to(self.user)

    def api_url(self, basename: str, slug: str) -> str:
        return self.base_url + self.path(f"api:{basename}-detail", slug)

    def web_url(self, row: dict) -> str | None:
        """The object's public page (`WebUrlField`); a reference's is its source."""
        return self.base_url + self.path(self.model.public_url_name, row["slug"])

    def compact_of(self, compact: Compact, row: dict, prefix: str = "") -> dict | None:
        """The compact form of the object in `row` (under `prefix`); None when there is none
        or the reader may not see it (`LinkedSlugField`)."""
        slug = row[f"{prefix}slug"]
        if slug is None or not compact.model.status_visible_to(row[f"{prefix}status"], self.user):
            return None
        item = {"slug": slug}
        for label in compact.labels:
            if label in translated_fields(compact.model):
                item[label] = self.text(row, prefix + label)
            else:
                item[label] = row[prefix + label]
        item["url"] = self.api_url(compact.basename, slug)
        return item

    def related(self, row: dict, name: str) -> dict | None:
        """The compact form of the foreign key `name`, loaded with the row."""
        compact = self.foreign_keys.get(name) or self.detail_foreign_keys[name]
        return self.compact_of(compact, row, f"{name}__")

    def compacts(self, rows: list[dict], compact: Compact) -> list[dict]:
        """Compact forms of the objects in `rows`."""
        return [self.compact_of(compact, row) for row in rows]

    def compacts_by(self, queryset: QuerySet, compact: Compact, owner: str,
                    extra: tuple[str, ...] = ()) -> dict[int, list[tuple[dict, dict]]]:
        """(compact form, row) of every object in `queryset`, grouped by the `owner` column."""
        grouped = defaultdict(list)
        for row in plain(queryset).values(owner, *compact.columns(), *extra):
            grouped[row[owner]].append((self.compact_of(compact, row), row))
        return grouped

    def fetch(self, name: str, build: Callable[..., QuerySet], columns: list[str], **values) -> list[dict]:
        """Rows (dicts of `columns`) of the queryset `build(**values)`; prepared once per
        process for readers who see published content only."""
        key = (type(self).__name__, name, self.suffix) if self.sees_published_only else None
        rows = prepared_rows(key, lambda **given: plain(build(**given)).values_list(*columns), **values)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def fetch_relations(self, pk: int) -> dict[str, list[dict]]:
        """Every relation in `relations`, read in one UNION ALL (union_queryset): compact
        objects where a compact form is named, rows (dicts) otherwise."""
        columns = {name: kind.columns() if isinstance(kind, Compact) else kind for name, kind in self.relations.items()}

        def build(pk):
            querysets = self.relation_querysets(pk)
            return union_queryset([(querysets[name], columns[name]) for name in self.relations])

        key = (type(self).__name__, "relations", self.suffix) if self.sees_published_only else None
        parts = split_union_rows(prepared_rows(key, build, pk=pk), [len(c) for c in columns.values()])
        linked = {}
        for (name, kind), rows in zip(self.relations.items(), parts, strict=True):
            dicts = [dict(zip(columns[name], row, strict=True)) for row in rows]
            linked[name] = self.compacts(dicts, kind) if isinstance(kind, Compact) else dicts
        return linked

    def markdown(self, row: dict, field: str) -> dict:
        """A Markdown field in the active language, and its sanitised HTML beside it."""
        text = self.text(row, field)
        return {field: text, f"{field}_html": render_markdown(text)}

    def cited(self, pk: int) -> QuerySet:
        """The visible references object `pk` cites (a relation of REFERENCE compacts)."""
        return cited_by(self.model, pk, self.visible(Reference))

    def common(self, row: dict) -> dict:
        """The fields every resource ends with (`EditorialSerializer.common_fields`)."""
        return {
            "status": row["status"],
            "published_at": iso_datetime(row["published_at"], self.zone),
            "updated_at": iso_datetime(row["updated_at"], self.zone),
            "web_url": self.web_url(row),
        }


# The columns behind `common()`, which every reader's fields end with.
COMMON_FIELDS = ("slug", "status", "published_at", "updated_at")


class ReferenceReader(Reader):
    model, basename, compact = Reference, "reference", REFERENCE
    list_fields = ("title", "authors", "publisher", "year", "doi", "pmid", "url", "accessed_on", *COMMON_FIELDS)
    detail_fields = list_fields

    def head(self, row):
        return {
            "slug": row["slug"],
            "url": self.api_url("reference", row["slug"]),
            "title": row["title"],
            "authors": row["authors"],
            "publisher": row["publisher"],
            "year": row["year"],
            "doi": row["doi"],
            "pmid": row["pmid"],
            "source_url": row["url"],
            "link": Reference.link_for(row["doi"], row["pmid"], row["url"]),
            "accessed_on": iso_date(row["accessed_on"]),
        }

    def detail(self, row, linked):
        return self.item(row)

    def web_url(self, row):
        return Reference.link_for(row["doi"], row["pmid"], row["url"]) or None
