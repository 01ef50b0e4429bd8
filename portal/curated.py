"""Loading the curated dataset kept under `data/` into the database.

One YAML file per curated model (its `data_file`, see portal.registry), each a list of
records keyed by `slug`. Records are plain data: any field of the model by name, translated
fields as `{en: ..., zh-hans: ...}`, relations as slugs, dates as "2017-08-30", "2021-09",
"2021-Q3" or "2015" (the precision is stored with the date), inline children (approvals,
mechanism roles, provisions) as nested lists.

The load is one transaction and one history revision. It compares before it saves, so a
second run changes nothing. An invalid record stops everything with the file, the record
and the field named. Items editors created in the admin and that are not in the files are
left alone.

The loader never undoes the editors' work. It remembers what it last wrote for each record
(`LoadedRecord`: a digest per field), so a field that differs from that, and that the data
would change, was edited in the admin or the API since: a conflict. By default the load
stops before writing anything and lists the conflicts; `skip_edited` loads everything else
and leaves those records as they are; `overwrite` replaces them, saying so in the history.
It never changes an item's status (only a new item enters as the data says, else
published) unless `set_status` asks, and never re-creates an item deleted since it loaded it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import reversion
import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from portal import i18n, registry
from portal.choices import EditorialStatus
from portal.citations import instance_citation_errors
from portal.dates import parse_partial_date
from portal.models import LoadedRecord
from portal.registry import InlineChild

LOADER_COMMENT = "Loaded the curated dataset (load_curated)."


class CuratedDataError(Exception):
    """A record that cannot be loaded; the message says where and why."""


@dataclass(frozen=True)
class Family:
    """One curated model's file, and its inline children by the key records nest them under."""

    filename: str
    model: type[models.Model]
    children: dict[str, InlineChild] = field(default_factory=dict)


def data_key(parent: type[models.Model], child: InlineChild) -> str:
    """The key a record nests `child` rows under: the many-to-many field they are the
    `through` rows of (a therapy's `mechanisms`), else their related name (`approvals`)."""
    for m2m in parent._meta.many_to_many:
        if m2m.remote_field.through is child.model:
            return m2m.name
    return child.related_name


def families() -> list[Family]:
    """The family of every curated model that has a data file, in load order: a family
    refers only to families above it, or to itself."""
    return [
        Family(model.data_file, model, {data_key(model, child): child for child in registry.inline_children(model)})
        for model in registry.load_order()
        if model.data_file
    ]


# This module is imported once the app registry is ready (by commands and tests).
FAMILIES = families()


@dataclass
class Conflict:
    """A record the data would change where an editor changed the same fields since the last load."""

    where: str
    fields: list[str]
    changed_by: str
    changed_at: datetime.datetime | None

    def line(self) -> str:
        when = f" on {self.changed_at:%Y-%m-%d %H:%M}" if self.changed_at else ""
        return f"{self.where}: {', '.join(self.fields)} changed by {self.changed_by}{when} since the last load"


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    overwritten: list[Conflict] = field(default_factory=list)
    not_recreated: list[str] = field(default_factory=list)  # deleted since they were loaded
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # where, field, old, new

    def add(self, family: Family, outcome: str) -> None:
        self.counts[(family.model._meta.verbose_name_plural, outcome)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, outcome), n in self.counts.items() if outcome in ("created", "updated"))

    def lines(self) -> list[str]:
        families = dict.fromkeys(name for name, _ in self.counts)
        return [
            f"{name}: " + ", ".join(
                f"{self.counts[(name, outcome)]} {outcome}"
                for outcome in ("created", "updated", "unchanged", "kept as edited")
                if self.counts[(name, outcome)]
            )
            for name in families
        ]


class _Where:
    """Where a value sits in the dataset, for error messages that lead straight to it."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    @classmethod
    def record(cls, filename: str, index: int, slug: str | None) -> _Where:
        return cls(f"{filename}, record {index + 1}" + (f" ({slug})" if slug else ""))

    def child(self, key: str, index: int) -> _Where:
        return _Where(f"{self.prefix}, {key}[{index + 1}]")

    def error(self, field_name: str | None, message) -> CuratedDataError:
        where = f"{self.prefix}, field {field_name!r}" if field_name else self.prefix
        return CuratedDataError(f"{where}: {message}")


@dataclass
class _ChildRow:
    """An inline row as the data gives it: unsaved, with what to compare and what to link."""

    instance: models.Model
    signature: tuple
    m2m: dict[str, list[int]]
    nested: dict[str, tuple[InlineChild, list[_ChildRow]]]


class Rows(list):
    """An item's inline rows as a value: shown by their number in a diff."""

    def __str__(self) -> str:
        return f"{len(self)} row(s)"


class _KeepEdited(Exception):
    """Undoes one record's writes (its savepoint) when it conflicts with an editor's change."""


class CuratedLoader:
    def __init__(self, data_dir: Path, *, skip_edited: bool = False, overwrite: bool = False,
                 set_status: bool = False, user=None):
        self.data_dir = Path(data_dir)
        self.report = LoadReport()
        self.skip_edited = skip_edited
        self.overwrite = overwrite
        self.set_status = set_status
        self.user = user
        self._deleted: dict[type[models.Model], set[str]] = {}

    # --- entry point -------------------------------------------------------------------
    def load(self, *, dry_run: bool = False) -> LoadReport:
        """Load every family; with conflicts and neither `skip_edited` nor `overwrite`, write nothing."""
        with transaction.atomic():
            with reversion.create_revision():
                comment = LOADER_COMMENT
                if self.set_status:
                    comment += " Statuses set from the data (--set-status)."
                if self.overwrite:
                    comment += " Editors' changes overwritten (--overwrite)."
                reversion.set_comment(comment)
                if self.user is not None:
                    reversion.set_user(self.user)
                for family in FAMILIES:
                    self._load_family(family)
            if dry_run or (self.report.conflicts and not self.skip_edited):
                transaction.set_rollback(True)
        return self.report

    def _read(self, family: Family) -> list[dict]:
        path = self.data_dir / family.filename
        if not path.exists():
            return []
        try:
            records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            raise CuratedDataError(f"{family.filename}: not valid YAML: {error}") from error
        if not isinstance(records, list):
            raise CuratedDataError(f"{family.filename}: expected a list of records")
        return records

    def _load_family(self, family: Family) -> None:
        records = self._read(family)
        label = family.model._meta.label_lower
        self._ledger = {row.slug: row for row in LoadedRecord.objects.filter(model=label)}
        existing = set(family.model._default_manager.values_list("slug", flat=True))
        self._deleted[family.model] = set(self._ledger) - existing
        seen: set[str] = set()
        deferred = []  # self-references (parent, modality, supersedes) once every record exists
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                raise _Where.record(family.filename, index, None).error(None, "expected a mapping of fields")
            slug = record.get("slug")
            where = _Where.record(family.filename, index, slug)
            if not slug or not isinstance(slug, str):
                raise where.error("slug", "every record needs a slug")
            if slug in seen:
                raise where.error("slug", "this slug appears twice in the file")
            seen.add(slug)
            if slug in self._deleted[family.model]:
                self.report.not_recreated.append(where.prefix)
                continue
            try:
                with transaction.atomic():
                    instance, outcome, later, before = self._upsert(family, record, where)
                    self._check_edits(family, instance, record, before, where)
            except _KeepEdited:
                self.report.add(family, "kept as edited")
                continue
            deferred.append((instance, outcome, later, before, record, where))
        for instance, outcome, later, before, record, where in deferred:
            try:
                with transaction.atomic():
                    if later and self._assign(instance, later, where):
                        self._save(instance, where)
                        outcome = "updated" if outcome == "unchanged" else outcome
                    self._check_edits(family, instance, record, before, where, remember=True)
            except _KeepEdited:
                outcome = "kept as edited"
            self.report.add(family, outcome)

    # --- what editors changed since the last load ---------------------------------------
    @staticmethod
    def _digests(values: dict[str, object]) -> dict[str, str]:
        """A short digest of each value: what `LoadedRecord` keeps."""
        return {key: hashlib.sha256(repr(value).encode()).hexdigest()[:16] for key, value in values.items()}

    def _values(self, family: Family, instance, keys) -> dict[str, object]:
        """The item's stored value for each data key, as the data would write it."""
        model = family.model
        translated = i18n.translated_fields(model)
        state = {}
        for key in keys:
            if key in family.children:
                spec = family.children[key]
                rows = spec.model._default_manager.filter(**{spec.parent_field: instance})
                value = Rows(sorted(repr(self._stored_signature(row, spec.parent_field)) for row in rows))
            elif key == "slug" or (key == "status" and not self.set_status):
                continue
            else:
                model_field = self._field(model, key, _Where(family.filename))
                if model_field.many_to_many:
                    value = sorted(getattr(instance, key).values_list("slug", flat=True))
                elif key in translated:
                    value = [getattr(instance, i18n.column(key, language)) for language in i18n.languages()]
                elif hasattr(model, f"{key}_precision"):
                    value = [getattr(instance, key), getattr(instance, f"{key}_precision")]
                elif model_field.many_to_one:
                    related = getattr(instance, key)
                    value = getattr(related, "slug", related)
                else:
                    value = getattr(instance, model_field.attname)
            state[key] = value
        return state

    def _check_edits(self, family, instance, record, before_values, where, *, remember=False) -> None:
        """Refuse (or, with `overwrite`, record) a change to fields an editor changed since the
        last load; with `remember`, store what this load leaves as the next load's baseline.
        `before_values` are the item's values before this load wrote (None: it created the item)."""
        after_values = self._values(family, instance, record)
        after = self._digests(after_values)
        before = self._digests(before_values) if before_values is not None else after
        changed = [key for key in after if after[key] != before[key]]
        ledger = self._ledger.get(record["slug"])
        if before_values is None:
            edited = []
        elif ledger is None:  # an item this loader never wrote: every change undoes someone's work
            edited = changed
        else:
            edited = [key for key in changed if before[key] != ledger.digests.get(key, before[key])]
        if edited:
            conflict = Conflict(where.prefix, edited, str(getattr(instance, "updated_by", None) or "someone"),
                                getattr(instance, "updated_at", None))
            if not self.overwrite:
                self.report.conflicts.append(conflict)
                raise _KeepEdited
            self.report.overwritten.append(conflict)
        if not remember:
            return
        self.report.changes += [(where.prefix, key, before_values[key], after_values[key]) for key in changed]
        if ledger is None or ledger.digests != after:
            LoadedRecord.objects.update_or_create(
                model=family.model._meta.label_lower, slug=record["slug"],
                defaults={"digests": after, "loaded_at": timezone.now()})

    # --- one record --------------------------------------------------------------------
    def _upsert(self, family: Family, record: dict, where: _Where):
        model = family.model
        instance = model._default_manager.filter(slug=record["slug"]).first()
        created = instance is None
        before = None
        if created:
            instance = model(slug=record["slug"])
        else:
            before = self._values(family, instance, record)
        values = {key: value for key, value in record.items() if key not in family.children}
        if created or self.set_status:
            values.setdefault("status", EditorialStatus.PUBLISHED)
        else:
            values.pop("status", None)  # what a Publisher decided stays decided
        m2m = {}
        later = {}
        for key in list(values):
            if key == "slug":
                values.pop(key)
                continue
            model_field = self._field(model, key, where)
            if model_field.many_to_many:
                m2m[key] = values.pop(key)
            elif model_field.many_to_one and model_field.related_model is model:
                later[key] = values.pop(key)
        changed = self._assign(instance, values, where)
        if created or changed:
            self._save(instance, where)
        changed |= self._set_m2m(instance, m2m, where)
        for column, message in instance_citation_errors(instance).items():
            raise where.error(column, message)
        for key, spec in family.children.items():
            changed |= self._sync_children(instance, spec, record.get(key) or [], where, key)
        if changed:
            # Relations and inline rows changed without a save: still record the item's new state.
            reversion.add_to_revision(instance)
        outcome = "created" if created else ("updated" if changed else "unchanged")
        return instance, outcome, later, before

    def _field(self, model, key: str, where: _Where):
        try:
            model_field = model._meta.get_field(key)
        except Exception:  # FieldDoesNotExist, but also reverse relations named like fields
            raise where.error(key, f"{model.__name__} has no such field") from None
        if not model_field.concrete and not model_field.many_to_many:
            raise where.error(key, f"{model.__name__} has no such field")
        if not model_field.editable and key != "status":
            raise where.error(key, "this field is set by the portal, not by the data")
        return model_field

    def _assign(self, instance, values: dict, where: _Where) -> bool:
        """Set plain, translated, date and foreign-key values; report whether any changed."""
        model = type(instance)
        translated = i18n.translated_fields(model)
        languages = i18n.languages()
        changed = False
        for key, value in values.items():
            model_field = self._field(model, key, where)
            if key in translated:
                if isinstance(value, str):
                    value = {languages[0]: value}
                if not isinstance(value, dict) or set(value) - set(languages):
                    raise where.error(key, "give the text as {en: ..., zh-hans: ...}")
                for language in languages:
                    changed |= self._set(instance, i18n.column(key, language), (value.get(language) or "").strip())
            elif model_field.many_to_one:
                related = self._resolve(model_field.related_model, value, where, key) if value else None
                changed |= self._set(instance, model_field.attname, related.pk if related else None)
            elif hasattr(model, f"{key}_precision"):
                day, precision = self._partial_date(value, where, key)
                changed |= self._set(instance, key, day)
                changed |= self._set(instance, f"{key}_precision", precision)
            elif isinstance(model_field, models.DateField) and value is not None:
                changed |= self._set(instance, key, self._date(value, where, key))
            else:
                changed |= self._set(instance, key, "" if value is None and model_field.empty_strings_allowed
                                     and not model_field.null else value)
        return changed

    @staticmethod
    def _set(instance, attname: str, value) -> bool:
        if getattr(instance, attname) == value:
            return False
        setattr(instance, attname, value)
        return True

    @staticmethod
    def _partial_date(value, where, key):
        if value is None:
            return None, "day"
        if isinstance(value, datetime.date):
            return value, "day"
        try:
            return parse_partial_date(str(value))
        except ValueError as error:
            raise where.error(key, error) from None

    @staticmethod
    def _date(value, where, key):
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise where.error(key, f"{value!r} is not a date like 2024-06-27") from None

    def _resolve(self, model, slug, where, key):
        try:
            return model._default_manager.get(slug=slug)
        except model.DoesNotExist:
            if slug in self._deleted.get(model, ()):
                raise where.error(key, f"the {model._meta.verbose_name} {slug!r} was deleted in the portal "
                                       "since the last load; recover it from its history or change this record"
                                  ) from None
            raise where.error(key, f"no {model._meta.verbose_name} with slug {slug!r}") from None

    def _set_m2m(self, instance, m2m: dict, where: _Where) -> bool:
        changed = False
        for key, slugs in m2m.items():
            if not isinstance(slugs, list):
                raise where.error(key, "give a list of slugs")
            related_model = type(instance)._meta.get_field(key).related_model
            gone = self._deleted.get(related_model, set())
            wanted = [self._resolve(related_model, slug, where, key).pk for slug in slugs if slug not in gone]
            manager = getattr(instance, key)
            if set(manager.values_list("pk", flat=True)) != set(wanted):
                manager.set(wanted)
                changed = True
        return changed

    def _sync_children(self, parent, spec: InlineChild, rows: list, where: _Where, key: str) -> bool:
        """Replace the parent's inline rows (with their own links and rows, an approval's
        events) when the data says something different."""
        wanted = self._build_children(parent, spec, rows, where, key)
        existing = spec.model._default_manager.filter(**{spec.parent_field: parent})
        stored = sorted((self._stored_signature(child, spec.parent_field) for child in existing), key=repr)
        if stored == sorted((row.signature for row in wanted), key=repr):
            return False
        spec.model._default_manager.filter(**{spec.parent_field: parent}).delete()
        self._save_children(wanted)
        return True

    def _build_children(self, parent, spec: InlineChild, rows, where: _Where, key: str) -> list[_ChildRow]:
        """The validated, unsaved rows the data gives, each with its links and nested rows."""
        if not isinstance(rows, list):
            raise where.error(key, "give a list")
        model = spec.model
        has_position = any(f.name == "position" for f in model._meta.fields)
        nested_specs = {data_key(model, child): child for child in registry.inline_children(model)}
        m2m_names = [f.name for f in model._meta.many_to_many]
        taken: set[str] = set()
        wanted = []
        for index, row in enumerate(rows):
            child_where = where.child(key, index)
            if not isinstance(row, dict):
                raise child_where.error(None, "expected a mapping of fields")
            row = dict(row)
            nested_rows = {name: row.pop(name, None) or [] for name in nested_specs}
            m2m_slugs = {name: row.pop(name, None) or [] for name in m2m_names}
            child = model(**{spec.parent_field: parent})
            if has_position:
                child.position = index
            self._assign(child, row, child_where)
            if hasattr(child, "ensure_slug"):
                child.ensure_slug(taken)
                taken.add(child.slug)
            self._validate(child, child_where, exclude=[spec.parent_field])
            m2m = {name: self._slugs_to_ids(model, name, slugs, child_where) for name, slugs in m2m_slugs.items()}
            nested = {name: (nested_specs[name], self._build_children(
                child, nested_specs[name], nested_rows[name], child_where, name)) for name in nested_specs}
            signature = (
                self._row(child, spec.parent_field),
                tuple((name, tuple(sorted(ids))) for name, ids in sorted(m2m.items())),
                tuple((name, tuple(sorted((r.signature for r in rows_), key=repr)))
                      for name, (_spec, rows_) in sorted(nested.items())),
            )
            wanted.append(_ChildRow(child, signature, m2m, nested))
        return wanted

    def _stored_signature(self, child, parent_field: str) -> tuple:
        """The signature `_build_children` gives a data row, for a row in the database."""
        model = type(child)
        m2m = tuple((f.name, tuple(sorted(getattr(child, f.name).values_list("pk", flat=True))))
                    for f in sorted(model._meta.many_to_many, key=lambda f: f.name))
        nested = []
        for spec in registry.inline_children(model):
            rows_ = spec.model._default_manager.filter(**{spec.parent_field: child})
            nested.append((data_key(model, spec), tuple(sorted(
                (self._stored_signature(row, spec.parent_field) for row in rows_), key=repr))))
        return self._row(child, parent_field), m2m, tuple(sorted(nested))

    def _save_children(self, wanted: list[_ChildRow]) -> None:
        for row in wanted:
            row.instance.save()
            for name, ids in row.m2m.items():
                getattr(row.instance, name).set(ids)
            for spec, rows_ in row.nested.values():
                for nested in rows_:
                    setattr(nested.instance, spec.parent_field, row.instance)
                self._save_children(rows_)

    def _slugs_to_ids(self, model, key: str, slugs, where: _Where) -> list[int]:
        if not isinstance(slugs, list):
            raise where.error(key, "give a list of slugs")
        related_model = model._meta.get_field(key).related_model
        return [self._resolve(related_model, slug, where, key).pk for slug in slugs]

    @staticmethod
    def _row(child, parent_field: str) -> tuple:
        """The row's stored values, without its key and the key to its parent."""
        return tuple(getattr(child, f.attname) for f in child._meta.concrete_fields
                     if not f.primary_key and f.name != parent_field)

    def _validate(self, instance, where: _Where, exclude=None) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            raise where.error(None if field_name == "__all__" else field_name, " ".join(messages)) from None

    def _save(self, instance, where: _Where) -> None:
        self._validate(instance, where)
        instance.save()


# Summaries of what is loaded, which feature apps contribute (`register_summary`) so that the
# base imports none of them: the therapies app reports its coverage per regulator.
_summaries: list[Callable[[], list[str]]] = []


def register_summary(summary: Callable[[], list[str]]) -> None:
    if summary not in _summaries:
        _summaries.append(summary)


def summary_lines() -> list[str]:
    """The registered summaries of the loaded content, as lines for `load_curated`."""
    return [line for summary in _summaries for line in summary()]


def load_curated(data_dir: Path, *, dry_run: bool = False, **options) -> LoadReport:
    """Load every family under `data_dir`; see the module docstring for the format and the options."""
    return CuratedLoader(data_dir, **options).load(dry_run=dry_run)
