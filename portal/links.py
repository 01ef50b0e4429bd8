"""Paths of slug-addressed pages, built without running the URL resolver for every object.

A list of 50 therapies links to about 200 pages (its own, the API's, its category's...), and
`reverse()` costs more than everything else a row needs. Every such URL is a fixed prefix and
suffix around the slug, so the resolver runs once per URL name, language and script prefix,
and each link after that is a string join. A slug that is not a plain slug goes through
`reverse()` as before, so the answer (or the NoReverseMatch) is always the resolver's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, override

_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARKER = "slug-marker-0"


@lru_cache(maxsize=1024)
def _around_slug(url_name: str, language: str | None, script_prefix: str) -> tuple[str, str]:
    with override(language):
        path = reverse(url_name, kwargs={"slug": _MARKER})
    before, _marker, after = path.partition(_MARKER)
    return before, after


def slug_path(url_name: str, slug: str) -> str:
    """`reverse(url_name, kwargs={"slug": slug})` in the active language, memoised by shape."""
    return slug_path_builder()(url_name, slug)


def slug_path_builder() -> Callable[[str, str], str]:
    """`slug_path` for the many links of one response: the active language and script
    prefix are read once, not per link (each read is a context-local lookup)."""
    language, script_prefix = get_language(), get_script_prefix()

    def build(url_name: str, slug: str) -> str:
        if not _PLAIN_SLUG.fullmatch(slug or ""):
            with override(language):
                return reverse(url_name, kwargs={"slug": slug})
        before, after = _around_slug(url_name, language, script_prefix)
        return f"{before}{slug}{after}"

    return build


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting, **kwargs):
    # Tests swap URLconfs and languages; the resolver's own caches are cleared the same way.
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _around_slug.cache_clear()
