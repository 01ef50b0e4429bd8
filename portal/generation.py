"""The content generation: one number for the committed state of everything the public can see.

Every public page and API response shows only published content, so one number describes the
state all of them depend on. It lives in the database (`ContentGeneration`, one row): any save,
delete or relation change of a content model bumps it in the same transaction, whichever door
the change came through (admin, API, load_curated, a history revert); a bulk write that fires
no signal (raw SQL, COPY, `QuerySet.update()`, `bulk_create`) calls `content_changed()`.

Readers do not ask the database on every request. Each process remembers the committed value
and checks it again at most every `CONTENT_GENERATION_CHECK_SECONDS`; a process that committed
a bump knows its value at once and also publishes it in the shared cache, where the page cache
reads it with the page (no extra round trip), so other servers usually see it on their next
request. Whatever the cache does (down, stalled, restarted, flushed, evicted), a server is
behind the database by at most the check interval.

Whatever is derived from content is keyed by the generation: the page cache's pages
(`portal/page_cache.py`), list totals, facets, search counts (`cached_for_generation`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import registry
from portal.generation_row import ContentGeneration

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:content-generation"
DERIVED_VALUE_SECONDS = 24 * 3600
ROW_ID = 1


class _Memo(NamedTuple):
    value: int | None
    checked_at: float  # time.monotonic() of the database read it is known fresh at


# The committed generation as this process last knew it (shared by its threads).
_memo = _Memo(None, float("-inf"))
# Bumps of the open transaction of this thread's connection: (value, on-commit callback).
# Only this thread may see them: its reads see its own uncommitted rows, nobody else's do.
_own_writes = threading.local()
# The generation a public request started in, so every derived value it reads uses the same.
_request_generation: ContextVar[int | None] = ContextVar("portal_request_generation", default=None)


def _read_row() -> int:
    value = ContentGeneration.objects.filter(pk=ROW_ID).values_list("value", flat=True).first()
    if value is None:  # a flushed database (transactional tests): start again from the clock
        ContentGeneration.objects.bulk_create([ContentGeneration(pk=ROW_ID, value=time.time_ns())],
                                              ignore_conflicts=True)
        value = ContentGeneration.objects.filter(pk=ROW_ID).values_list("value", flat=True).get()
    return value


def _committed() -> int | None:
    """The committed generation, read again once the memo is older than the check interval;
    None when the database cannot be read (then nothing may be served from the cache)."""
    global _memo
    memo = _memo
    if time.monotonic() - memo.checked_at < settings.CONTENT_GENERATION_CHECK_SECONDS:
        return memo.value
    checked_at = time.monotonic()
    try:
        value = _read_row()
    except DatabaseError as error:
        logger.warning("Content generation unreadable; not serving from the cache: %s", error)
        return None
    _memo = _Memo(max(value, memo.value or 0), checked_at)
    return _memo.value


def _own_uncommitted() -> int | None:
    """The latest bump of this thread's open transaction, if it is still part of it."""
    pending = getattr(_own_writes, "pending", None)
    if not pending:
        return None
    connection = transaction.get_connection()
    if not connection.in_atomic_block:  # committed (and published) or rolled back
        pending.clear()
        return None
    # A bump rolled back with its savepoint or transaction lost its on-commit callback.
    alive = {func for _sids, func, _robust in connection.run_on_commit}
    while pending and pending[-1][1] not in alive:
        pending.pop()
    return pending[-1][0] if pending else None


def current(seen_in_cache=None) -> int | None:
    """The generation a public response is made or served in: this thread's own uncommitted
    bump, else the committed one, raised to a newer one another server published in the cache
    (`seen_in_cache`). None when the database cannot be read."""
    global _memo
    own = _own_uncommitted()
    if own is not None:
        return own
    committed = _committed()
    if committed is not None and isinstance(seen_in_cache, int) and seen_in_cache > committed:
        _memo = _Memo(seen_in_cache, _memo.checked_at)  # committed by its writer: adopt it
        return seen_in_cache
    return committed


def content_generation() -> int:
    """The generation derived values are keyed by: the one this public request started in, else
    the current one. Without a database every call draws a new clock value, so nothing is reused."""
    remembered = _request_generation.get()
    if remembered is not None:
        return remembered
    generation = current()
    return time.time_ns() if generation is None else generation


@contextmanager
def pinned(generation: int | None) -> Iterator[None]:
    """Within the block, `content_generation()` answers `generation` without looking it up."""
    token = _request_generation.set(generation)
    try:
        yield
    finally:
        _request_generation.reset(token)


def cached_for_generation(name: str, compute):
    """`compute()`, remembered in the shared cache until the content next changes.

    For derived values every page needs but no single request should pay for, such as the
    list of years that have policies.
    """
    key = f"portal:derived:{content_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=DERIVED_VALUE_SECONDS)
    return value


def _increment_row(connection) -> int:
    """One statement: the row goes to the larger of value + 1 and the clock, so a number is
    never reused after a restore or a rolled-back bump. It stays locked until the commit."""
    table = connection.ops.quote_name(ContentGeneration._meta.db_table)
    sql = (f"UPDATE {table} SET value = CASE WHEN value + 1 > %s THEN value + 1 ELSE %s END "  # noqa: S608 - our table name
           "WHERE id = %s RETURNING value")
    now = time.time_ns()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now, ROW_ID])
        row = cursor.fetchone()
    if row is None:
        _read_row()  # the row was missing: create it, then bump it
        return _increment_row(connection)
    return row[0]


def _publish(value: int) -> None:
    """After the commit: this process knows the value at once, other servers from the cache."""
    global _memo
    _memo = _Memo(max(value, _memo.value or 0), time.monotonic())
    cache.set(GENERATION_KEY, _memo.value, timeout=None)


def content_changed() -> None:
    """Start a new generation in the current transaction (at once in autocommit mode).

    Every cached response and derived value of an older generation is then stale on every
    server: at once in this process, on the others with the next page read from the cache, at
    the latest after `CONTENT_GENERATION_CHECK_SECONDS`.
    """
    connection = transaction.get_connection()
    value = _increment_row(connection)
    publish = partial(_publish, value)  # its own object: how `_own_uncommitted` finds the bump
    if connection.in_atomic_block:
        if not hasattr(_own_writes, "pending"):
            _own_writes.pending = []
        _own_writes.pending.append((value, publish))
    transaction.on_commit(publish)


def content_models() -> tuple[type[models.Model], ...]:
    """The models whose rows public responses show (portal/registry.py): curated models,
    their inline rows, and the search index (whose entries the search pages show)."""
    return registry.content_models()


def _on_content_signal(**kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_"):  # m2m: after the rows changed
        content_changed()


def connect_signals() -> None:
    for model in content_models():
        uid = f"content-generation-{model._meta.label_lower}"
        post_save.connect(_on_content_signal, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_content_signal, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_content_signal, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}-{field.name}")
