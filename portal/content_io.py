"""Export and import of the whole curated state as one versioned, diffable JSON document.

Why not `dumpdata`: its ids tie a dump to one database, it cannot restore into a database
that numbered things differently, and it mixes curated content with sessions and caches.
Here every relation is written by natural key (slugs, usernames), both languages of every
translated field are kept, drafts and archived items included, and the output is sorted, so
two exports of the same content are byte-identical and a diff shows exactly what changed.

Document layout (format version 1)::

    {"format": "cell-therapy-portal/content", "version": 1,
     "authors": [{"username": ..., "email": ..., "first_name": ..., "last_name": ...}],
     "content": {"portal.reference": [{"slug": ..., ...}], "therapies.therapy": [...], ...},
     "summary": {"portal.reference": {"count": 3, "sha256": "..."}, ...}}

Rows edited inline with a parent (approvals, key provisions, mechanism links) are nested
in the parent under their related name, in their display order. Reversion history is not
exported; production backups (pg_dump, docs/operations.md) keep it.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction

from portal import i18n, registry

FORMAT = "cell-therapy-portal/content"
VERSION = 1
# Fields Django overwrites on save; restored with an UPDATE after the rows exist.
AUTO_TIMESTAMPS = ("created_at", "updated_at")


class ImportRefused(Exception):
    """The document cannot be imported (wrong format, or the database is not empty)."""


def covered_models() -> set[type[models.Model]]:
    """Every model this module reads and writes: the registry's curated models and inline children."""
    return {*registry.curated_models(), *registry.inline_models()}


# --- fields ------------------------------------------------------------------------------
def _exported_fields(model, skip: str | None = None) -> list[models.Field]:
    """Concrete fields but the key. A translated field travels as its language columns: its
    original column is derived by modeltranslation, so it is not exported."""
    originals = i18n.translated_fields(model)
    return [
        field for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in originals and field.name != skip
    ]


def _m2m_fields(model) -> list[models.ManyToManyField]:
    """Plain many-to-many fields; those with a `through` model travel as inline rows."""
    return [field for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created]


def _is_user_fk(field) -> bool:
    return field.is_relation and field.related_model is get_user_model()


def _dump_value(field, value):
    if value is None:
        return None
    if field.is_relation:
        return value.get_username() if _is_user_fk(field) else value.slug
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _load_value(field, value, lookup):
    if value is None:
        return None
    if field.is_relation:
        return lookup(field.related_model, value)
    return field.to_python(value)


# --- export ------------------------------------------------------------------------------
def _dump_row(obj, fields, m2m=()) -> dict:
    row = {field.name: _dump_value(field, getattr(obj, field.name)) for field in fields}
    for field in m2m:
        row[field.name] = sorted(related.slug for related in getattr(obj, field.name).all())
    return row


def _dump_model(model) -> list[dict]:
    fields, m2m = _exported_fields(model), _m2m_fields(model)
    related = [field.name for field in fields if field.is_relation]
    queryset = model._default_manager.select_related(*related).prefetch_related(*(f.name for f in m2m))
    inlines = registry.inline_children(model)
    for inline in inlines:
        inline_related = [f.name for f in _exported_fields(inline.model, inline.parent_field) if f.is_relation]
        queryset = queryset.prefetch_related(
            models.Prefetch(inline.related_name, queryset=inline.model._default_manager.select_related(*inline_related))
        )
    rows = []
    for obj in queryset.order_by("slug"):
        row = _dump_row(obj, fields, m2m)
        for inline in inlines:
            inline_fields = _exported_fields(inline.model, inline.parent_field)
            children = getattr(obj, inline.related_name).all()
            row[inline.related_name] = [_dump_row(child, inline_fields) for child in children]
        rows.append(row)
    return rows


def _checksum(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def export_content() -> dict:
    """The whole curated state as a JSON-ready dict (see the module docstring)."""
    content = {model._meta.label_lower: _dump_model(model) for model in registry.load_order()}
    usernames = {
        row[name] for rows in content.values() for row in rows for name in ("created_by", "updated_by") if row.get(name)
    }
    user_model = get_user_model()
    authors = [
        {"username": user.get_username(), "email": user.email, "first_name": user.first_name,
         "last_name": user.last_name}
        for user in user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__in": usernames})
        .order_by(user_model.USERNAME_FIELD)
    ]
    summary = {label: {"count": len(rows), "sha256": _checksum(rows)} for label, rows in content.items()}
    return {"format": FORMAT, "version": VERSION, "authors": authors, "content": content, "summary": summary}


def dumps(document: dict) -> str:
    """Stable text: sorted keys, one value per line, real Unicode (Chinese stays readable)."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- import ------------------------------------------------------------------------------
def _check_document(document: dict) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(f"Not a content export (expected format {FORMAT!r}).")
    if document.get("version") != VERSION:
        raise ImportRefused(f"Export format version {document.get('version')!r} is not supported (need {VERSION}).")
    for label, rows in document["content"].items():
        expected = document.get("summary", {}).get(label)
        if expected and (expected["count"] != len(rows) or expected["sha256"] != _checksum(rows)):
            raise ImportRefused(f"{label}: the content does not match its checksum; the file is damaged or edited.")


class _KnownObjects:
    """Objects created so far, by natural key, to resolve relations."""

    def __init__(self):
        self.by_key: dict[tuple[type, str], models.Model] = {}

    def add(self, obj) -> None:
        self.by_key[(type(obj), obj.slug)] = obj

    def get(self, model, key):
        if model is get_user_model():
            return model._default_manager.get_by_natural_key(key)
        try:
            return self.by_key[(model, key)]
        except KeyError:
            raise ImportRefused(f"{model._meta.label} {key!r} is referenced but not in the export.") from None


def _restore_authors(authors: list[dict]) -> None:
    """Recreate missing authors as inactive accounts without a password, so authorship survives.

    An administrator decides who gets access again; the import never grants any.
    """
    user_model = get_user_model()
    for author in authors:
        fields = {key: value for key, value in author.items() if key != "username"}
        user, created = user_model._default_manager.get_or_create(
            **{user_model.USERNAME_FIELD: author["username"]}, defaults={**fields, "is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])


def _build(model, row, known, *, skip: str | None = None, deferred: list | None = None):
    """An unsaved instance from `row`; self-references are left for later in `deferred`."""
    values = {}
    for field in _exported_fields(model, skip):
        if field.name not in row:
            raise ImportRefused(f"{model._meta.label}: field {field.name!r} is missing.")
        if field.is_relation and field.related_model is model:
            if row[field.name] is not None and deferred is not None:
                deferred.append((field.name, row[field.name]))
            continue
        values[field.name] = _load_value(field, row[field.name], known.get)
    return model(**values)


def _validate(obj) -> None:
    """The model's own rules (validators, choices, clean()), as in the admin and the API.

    An export file is input like any other: a hand-edited `javascript:` link or unknown
    status must be refused here, not discovered on a public page.
    """
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        key = getattr(obj, "slug", None) or str(obj)
        raise ImportRefused(f"{obj._meta.label} {key!r}: {error.message_dict}") from error


def _import_model(model, rows: list[dict], known: _KnownObjects, counts: dict[str, int]) -> None:
    """Create `model`'s rows and their inline rows, then self-references and many-to-many links."""
    pending_self, pending_m2m = [], []
    for row in rows:
        deferred: list = []
        obj = _build(model, row, known, deferred=deferred)
        _validate(obj)
        obj.save()
        known.add(obj)
        timestamps = {name: model._meta.get_field(name).to_python(row[name]) for name in AUTO_TIMESTAMPS}
        model._default_manager.filter(pk=obj.pk).update(**timestamps)
        pending_self += [(obj, name, key) for name, key in deferred]
        pending_m2m.append((obj, row))
        for inline in registry.inline_children(model):
            label = inline.model._meta.label_lower
            for child_row in row.get(inline.related_name, []):
                child = _build(inline.model, child_row, known, skip=inline.parent_field)
                setattr(child, inline.parent_field, obj)
                _validate(child)
                child.save()
                counts[label] = counts.get(label, 0) + 1
    for obj, name, key in pending_self:
        model._default_manager.filter(pk=obj.pk).update(**{name: known.get(model, key)})
    for obj, row in pending_m2m:
        for field in _m2m_fields(model):
            getattr(obj, field.name).set([known.get(field.related_model, key) for key in row[field.name]])
    counts[model._meta.label_lower] = len(rows)


def import_content(document: dict) -> dict[str, int]:
    """Restore an export into a database with no curated content; returns row counts per model.

    All or nothing: any error rolls the whole import back.
    """
    _check_document(document)
    if any(model._default_manager.exists() for model in covered_models()):
        raise ImportRefused("The database already holds curated content; import only into an empty one.")
    known, counts = _KnownObjects(), {}
    with transaction.atomic():
        _restore_authors(document.get("authors", []))
        for model in registry.load_order():
            _import_model(model, document["content"].get(model._meta.label_lower, []), known, counts)
    return counts
