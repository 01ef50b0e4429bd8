"""The site's languages and the columns django-modeltranslation adds for them, in one place.

A translated field `name` is stored as one column per language (`name_en`, `name_zh_hans`);
everything that reads or writes those columns by name (the API's readers, the loader, the
search index, filters) asks here rather than spelling the suffixes itself.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator


def languages() -> tuple[str, ...]:
    """The language codes of the site, the default first (`en`, `zh-hans`)."""
    return tuple(code for code, _name in settings.LANGUAGES)


def suffix(language: str | None = None) -> str:
    """The column suffix of `language` (default: the active one): zh-hans -> zh_hans."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language not in languages():
        language = settings.LANGUAGE_CODE
    return language.replace("-", "_")


def suffixes() -> tuple[str, ...]:
    return tuple(suffix(language) for language in languages())


def column(field: str, language: str | None = None) -> str:
    """The column of translated `field` in `language`: column("name", "zh-hans") == "name_zh_hans"."""
    return f"{field}_{suffix(language)}"


def columns(field: str, prefix: str = "") -> list[str]:
    """Every language's column of translated `field`, the default language first."""
    return [f"{prefix}{field}_{ending}" for ending in suffixes()]


@cache
def translated_fields(model) -> frozenset[str]:
    """Names of the fields of `model` that modeltranslation translates (empty if none)."""
    try:
        return frozenset(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return frozenset()
