"""Public history from django-reversion: one object's published revisions, and the change feed.

Every save (admin, API, data load) is a reversion revision holding the object as it was.
Reading the `status` in each stored version tells when an object became public, changed
while public, or stopped being public. Revisions made while an item was a draft, and who
made any revision, are never shown to the public; nor is a revision of a public item that
changed nothing the public sees (an editor's note, a link to a draft), so neither the
history nor the change feed tells outsiders about unpublished work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from reversion.models import Version

from portal.choices import EditorialStatus

PUBLISHED = EditorialStatus.PUBLISHED
# Bookkeeping columns that change on every save and say nothing about the content.
BOOKKEEPING_FIELDS = frozenset({"updated_at", "updated_by", "created_by", "created_at", "published_at"})
# Stored, never shown to the public.
PRIVATE_FIELDS = frozenset({"internal_note"})


def stored_fields(version: Version) -> dict:
    """The model fields of a stored version, without deserializing it into an instance."""
    return json.loads(version.serialized_data)[0]["fields"]


def public_status_parent(model) -> str | None:
    """The foreign key to the parent a row is public with (an approval's `therapy`), for
    rows that have no editorial status of their own."""
    return getattr(model, "history_parent", None)


def parent_statuses(model, versions: list[Version]) -> dict[tuple[int, str], str]:
    """{(revision id, parent id): the parent's stored status} for the revisions of
    `versions` (one query), so a row public with its parent reads the parent's status."""
    parent_field = public_status_parent(model)
    if parent_field is None or not versions:
        return {}
    from django.contrib.contenttypes.models import ContentType

    parent_model = model._meta.get_field(parent_field).related_model
    found = Version.objects.filter(
        revision_id__in={version.revision_id for version in versions},
        content_type=ContentType.objects.get_for_model(parent_model),
    ).values_list("revision_id", "object_id", "serialized_data")
    return {(revision_id, object_id): json.loads(data)[0]["fields"].get("status")
            for revision_id, object_id, data in found}


def stored_status(model, version: Version, fields: dict, parents: dict) -> str | None:
    """The editorial status the stored version had: its own, or its parent's in the same revision."""
    parent_field = public_status_parent(model)
    if parent_field is None:
        return fields.get("status")
    return parents.get((version.revision_id, str(fields.get(parent_field))))


def _per_language(names: set[str]) -> set[str]:
    """Report `summary_en` / `summary_zh_hans`, not the base column modeltranslation mirrors."""
    return {name for name in names if f"{name}_en" not in names}


def changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return sorted(name for name, value in after.items() if value not in (None, "", []) and
                      name in _per_language(set(after) - BOOKKEEPING_FIELDS))
    names = _per_language((set(before) | set(after)) - BOOKKEEPING_FIELDS)
    return sorted(name for name in names if before.get(name) != after.get(name))


def public_changes_between(model, before: dict | None, after: dict) -> list[str]:
    """The fields whose change between two stored versions the public could see: not private
    or bookkeeping columns, and for links only those to items published now (a query only
    when a link list differs, for the pks that differ)."""
    names = changed_fields(before, after)
    if before is None:
        return [name for name in names if name not in PRIVATE_FIELDS]
    links = {field.name: field.related_model for field in model._meta.many_to_many
             if hasattr(field.related_model._default_manager, "published")}
    shown = []
    for name in names:
        if name in PRIVATE_FIELDS:
            continue
        old, new = before.get(name), after.get(name)
        if name in links and isinstance(old, list) and isinstance(new, list):
            differing = set(old) ^ set(new)
            if not links[name]._default_manager.published().filter(pk__in=differing).exists():
                continue  # only links to unpublished items came or went
        shown.append(name)
    return shown


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    status: str
    action: str
    changed_fields: list[str]


def object_history(obj: Model, *, include_drafts: bool) -> list[HistoryEntry]:
    """Revisions of `obj`, oldest first; only those where it was published unless `include_drafts`."""
    versions = list(
        Version.objects.get_for_object(obj).select_related("revision")
        .order_by("revision__date_created", "pk")
    )
    parents = parent_statuses(type(obj), versions)
    entries, previous, previous_status = [], None, None
    for version in versions:
        fields = stored_fields(version)
        status = stored_status(type(obj), version, fields, parents)
        if not include_drafts and status != PUBLISHED:
            continue
        action_name = "created" if previous is None else "changed"
        if previous is not None and previous_status != status:
            action_name = "status_changed"
        if include_drafts:
            changed = changed_fields(previous, fields)
        else:
            changed = public_changes_between(type(obj), previous, fields)
            if action_name == "changed" and not changed:
                continue  # nothing the public sees changed
        entries.append(HistoryEntry(version.revision.date_created, status, action_name, changed))
        previous, previous_status = fields, status
    return entries


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the revision was saved.")
    status = serializers.ChoiceField(choices=EditorialStatus.choices)
    action = serializers.ChoiceField(choices=["created", "changed", "status_changed"])
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Model fields that differ from the previous revision shown (translated fields per language).",
    )


class HistoryMixin:
    """`/<resource>/<slug>/history/`: the object's published revisions (all of them for editors)."""

    @extend_schema(responses=HistoryEntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], url_path="history", filter_backends=[])
    def history(self, request, slug=None):
        model = self.filterset_class.Meta.model
        obj = get_object_or_404(model.objects.visible_to(request.user), slug=slug)
        entries = object_history(obj, include_drafts=model.user_sees_drafts(request.user))
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)


# --- the change feed --------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    type: str
    slug: str
    action: str
    at: object
    url: str


def public_changes(models: dict[type[Model], str], since, request) -> list[Change]:
    """What became public, changed publicly or stopped being public after `since`, oldest first.

    `models` maps each model to its API basename. Two queries: the versions after `since`,
    and, for the same objects, the versions before it (to know whether each was public then).
    """
    from django.contrib.contenttypes.models import ContentType

    content_types = ContentType.objects.get_for_models(*models)
    basename_of = {content_types[model].pk: basename for model, basename in models.items()}
    recent = Version.objects.filter(content_type_id__in=basename_of).select_related("revision")
    if since is not None:
        recent = recent.filter(revision__date_created__gt=since)
    recent = list(recent.order_by("revision__date_created", "pk"))
    model_of = {content_types[model].pk: model for model in models}
    was_published: dict[tuple[int, str], bool] = {}
    earlier = []
    if since is not None and recent:
        earlier = list(
            Version.objects.filter(content_type_id__in=basename_of, revision__date_created__lte=since,
                                   object_id__in={version.object_id for version in recent})
            .order_by("revision__date_created", "pk").only("content_type_id", "object_id", "serialized_data",
                                                           "revision_id")
        )
    # Rows public with their parent (approvals) read the parent's status in the same revision.
    parents = {}
    for model in models:
        if public_status_parent(model):
            ct = content_types[model].pk
            parents.update(parent_statuses(model, [v for v in (*earlier, *recent) if v.content_type_id == ct]))
    last_fields: dict[tuple[int, str], dict] = {}  # each object's previous stored version
    for version in earlier:
        fields = stored_fields(version)
        status = stored_status(model_of[version.content_type_id], version, fields, parents)
        key = (version.content_type_id, version.object_id)
        was_published[key] = status == PUBLISHED
        last_fields[key] = fields
    changes = []
    for version in recent:
        key = (version.content_type_id, version.object_id)
        model = model_of[version.content_type_id]
        fields = stored_fields(version)
        status = stored_status(model, version, fields, parents)
        now_published, before = status == PUBLISHED, was_published.get(key, False)
        was_published[key] = now_published
        previous = last_fields.get(key)
        last_fields[key] = fields
        if not (now_published or before) or not fields.get("slug"):
            continue  # a draft's life is private
        if now_published and before and previous is not None and not public_changes_between(model, previous, fields):
            continue  # nothing the public sees changed
        action_name = "changed" if now_published and before else "published" if now_published else "unpublished"
        basename = basename_of[version.content_type_id]
        url = request.build_absolute_uri(reverse(f"api:{basename}-detail", kwargs={"slug": fields["slug"]}))
        changes.append(Change(basename, fields["slug"], action_name, version.revision.date_created, url))
    return changes


class ChangeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Resource type, e.g. therapy, policy.")
    slug = serializers.CharField()
    action = serializers.ChoiceField(choices=["published", "changed", "unpublished"])
    at = serializers.DateTimeField()
    url = serializers.URLField()
