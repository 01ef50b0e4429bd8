"""The content generation: one number for the state of everything the public can see.

Every public page and API response shows only published content, so one counter in the
shared cache describes the state all of them depend on. Any save, delete or relation change
of a content model bumps it (at once and again after commit), whichever door the change came
through (admin, API, load_curated, a history revert); a bulk write that fires no signal
(raw SQL, COPY, `QuerySet.update()`, `bulk_create`) calls `content_changed()` itself.

Whatever is derived from content is keyed by the generation: the page cache's pages and
ETags (`portal/page_cache.py`), list totals, facets, search counts (`cached_for_generation`).
After a change every worker on every server misses on its very next read; nothing is purged
key by key.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import registry

GENERATION_KEY = "portal:content-generation"
DERIVED_VALUE_SECONDS = 24 * 3600

# The generation a public request started in, so the derived values it reads (list totals,
# facets, figures) cost one cache round trip each, not two.
_request_generation: ContextVar[int | None] = ContextVar("portal_request_generation", default=None)


def stored_generation() -> int | None:
    """The generation in the shared cache, started from the clock if there is none yet; None
    when the cache cannot keep one (it is down), so nothing can be keyed by it."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh start must never reuse a number that keys old entries: use the clock.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def content_generation() -> int:
    """The current generation, or the one this public request started in. With the cache
    down every call draws a new clock value, so every derived value is computed afresh."""
    remembered = _request_generation.get()
    if remembered is not None:
        return remembered
    generation = stored_generation()
    return time.time_ns() if generation is None else generation


@contextmanager
def pinned(generation: int | None) -> Iterator[None]:
    """Within the block, `content_generation()` answers `generation` without asking the cache."""
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


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet, or evicted: any new clock value is unused
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def content_changed() -> None:
    """Make every cached response and derived value stale, on every server sharing the cache.

    Bumps now and again after commit: a reader between the write and the commit still sees
    the old rows and may cache them under the first new generation. Outside a transaction
    the second bump follows at once.
    """
    _bump()
    transaction.on_commit(_bump)


def content_models() -> tuple[type[models.Model], ...]:
    """The models whose rows public responses show (portal/registry.py): curated models,
    their inline rows, and the search index (whose entries the search pages show)."""
    return registry.content_models()


def _on_content_signal(**kwargs) -> None:
    content_changed()


def connect_signals() -> None:
    for model in content_models():
        uid = f"content-generation-{model._meta.label_lower}"
        post_save.connect(_on_content_signal, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_content_signal, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_content_signal, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}-{field.name}")
