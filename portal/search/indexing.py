"""Keeping the index in step with the content: per object on save, in bulk on demand.

Each published item has one `SearchEntry`: its title and plain text per language (as the
results show them) and one term -> weight map built from every language, so a Chinese query
finds items on the English site and the other way round. Post-save and post-delete signals
of every registered model keep it current; `rebuild_index` (`manage.py
rebuild_search_index`) refills it in bulk, and `migrate` does so by itself for a
curated-size catalogue whose index is empty.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_delete, post_migrate, post_save

from portal import i18n
from portal.choices import EditorialStatus
from portal.generation import content_changed
from portal.models import SearchEntry
from portal.search import backends
from portal.search.indexes import Source, source_for, sources
from portal.search.ranking import term_weights

logger = logging.getLogger(__name__)
AUTO_REBUILD_LIMIT = 5000


def entry_for(source: Source, obj) -> tuple[SearchEntry, dict[str, int]]:
    """The entry with its title and text per language, and its term weights."""
    titles = {language: source.title(obj, language)[:500] for language in i18n.languages()}
    texts = {language: source.text(obj, language) for language in i18n.languages()}
    weights = term_weights(titles.values(), texts.values(), source.keywords(obj))
    entry = SearchEntry(kind=source.kind, object_id=obj.pk, slug=obj.slug, titles=titles, texts=texts)
    return entry, weights


def index_object(obj) -> None:
    """Bring the index in line with `obj`: entries while it is published, none otherwise."""
    source = source_for(type(obj))
    if source is None:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).delete()
        if obj.status == EditorialStatus.PUBLISHED:
            backends.get_backend().write([entry_for(source, obj)])


def unindex_object(obj) -> None:
    source = source_for(type(obj))
    if source is not None:
        SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).delete()


def rebuild_index(batch_size: int = 1000) -> int:
    """Drop and rebuild the whole index in bulk; returns how many items were indexed.

    The bulk writes fire no signal on PostgreSQL (raw DELETE, COPY), so this says itself
    that the content changed: cached search pages and counts follow the new index.
    """
    index = backends.get_backend()
    count = 0
    with index.bulk_load():
        for source in sources():
            batch: list[tuple[SearchEntry, dict[str, int]]] = []
            for obj in source.model.objects.published().order_by("pk").iterator(chunk_size=batch_size):
                batch.append(entry_for(source, obj))
                count += 1
                if len(batch) >= batch_size:
                    index.write(batch)
                    batch = []
            if batch:
                index.write(batch)
    content_changed()
    return count


def rebuild_if_empty(**kwargs) -> None:
    """After migrate: a database with published content but no index (a fresh index table)
    gets one, so search never silently finds nothing. Only for a curated-size catalogue: at
    benchmark scale (120k items) a rebuild takes minutes, so `migrate` leaves it to
    `manage.py rebuild_search_index` and says so. Nothing after a partial migrate (a
    rollback to an older index layout): the tables are not the ones this code writes."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    try:
        if SearchEntry.objects.exists():
            return
        total = sum(source.model.objects.published().count() for source in sources())
    except DatabaseError:  # `migrate <one app>`: some content tables do not exist yet
        return
    if 0 < total <= AUTO_REBUILD_LIMIT:
        rebuild_index()
    elif total:
        logger.warning("The search index is empty; run `manage.py rebuild_search_index` (%d items).", total)


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        index_object(instance)


def _on_delete(sender, instance, **kwargs):
    unindex_object(instance)


def _inline_changed(parent_field: str):
    """A row that feeds its parent's keywords changed: index the parent again."""
    def reindex(sender, instance, raw=False, **kwargs):
        parent = getattr(instance, parent_field, None) if not raw else None
        if parent is not None:
            index_object(type(parent)._default_manager.get(pk=parent.pk))
    return reindex


def connect_signals() -> None:
    """Follow every registered model; call once the apps' `search` modules are imported."""
    post_migrate.connect(rebuild_if_empty, sender=apps.get_app_config("portal"), dispatch_uid="search-post-migrate")
    for source in sources():
        post_save.connect(_on_save, sender=source.model, dispatch_uid=f"search-save-{source.kind}")
        post_delete.connect(_on_delete, sender=source.model, dispatch_uid=f"search-delete-{source.kind}")
        for related_name, _field in source.inline_keywords:
            relation = source.model._meta.get_field(related_name)
            handler = _inline_changed(relation.field.name)
            for signal in (post_save, post_delete):
                signal.connect(handler, sender=relation.related_model, weak=False,
                               dispatch_uid=f"search-inline-{source.kind}-{related_name}-{signal}")
