"""What is searched: one declaration per model, in the app that owns it.

Each app's `search.py` subclasses `Source` and decorates it with `@register` (the portal app
imports those modules at start-up, `autodiscover_modules("search")`), so the base names no
feature model. A declaration says which field is the title and which untranslated fields are
keywords; the text is every field modeltranslation translates, so a new translated field is
searched without touching search code. Declarations are kept in registration order, which
is the order of the facets.
"""

from __future__ import annotations

import html
import re
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags

from portal import i18n
from portal.citations import strip_citations
from portal.links import slug_path
from portal.markdown import render_markdown

# Text without any Markdown or HTML syntax is already plain: skip the (slow) renderer for it.
_MARKUP = re.compile(r"[<>&*_`#\[\]|]|^\s*(?:[-+]|\d+\.)\s", re.M)


def plain(markdown_text: str) -> str:
    """Text as a reader sees it: Markdown rendered, tags stripped, entities decoded."""
    if not _MARKUP.search(markdown_text):
        return markdown_text.strip()
    return html.unescape(strip_tags(render_markdown(markdown_text))).strip()


def translated(obj, field_name: str, language: str) -> str:
    """The field in `language`, falling back to English like the pages do."""
    value = getattr(obj, i18n.column(field_name, language), None)
    fallback = getattr(obj, i18n.column(field_name, settings.LANGUAGE_CODE), None)
    return str(value or fallback or getattr(obj, field_name, "") or "")


class Source:
    """How one model is indexed. Subclass it in the app's `search.py` and `@register` it.

    - `kind`: the result type (and the API basename: `api:<kind>-detail`); `label`: its facet.
    - `title_field`, and `title_prefix_field` for a title shown as "prefix: title".
    - `keyword_fields`: matched as strongly as the title, never shown (slugs, codes,
      symbols); a translated one counts in every language.
    - `text_first`: translated fields read first, in this order (a snippet starts at the
      first match, so the best prose goes first); the other translated fields follow in
      model order. `exclude`: translated fields not to index at all.

    The page of a result comes from the model's `public_url_name`.
    """

    model: type[models.Model]
    kind: str
    label: str
    title_field = "name"
    title_prefix_field: str | None = None
    keyword_fields: tuple[str, ...] = ()
    # Inline rows whose `field` is a keyword too, by related name: a therapy's other names.
    inline_keywords: tuple[tuple[str, str], ...] = ()
    text_first: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind}: {self.model._meta.label}>"

    @cached_property
    def text_fields(self) -> tuple[str, ...]:
        """Every translated field but the title, keywords and exclusions, `text_first` first."""
        translated_fields = i18n.translated_fields(self.model)
        left_out = {self.title_field, self.title_prefix_field, *self.keyword_fields, *self.exclude}
        in_model_order = [field.name for field in self.model._meta.concrete_fields
                          if field.name in translated_fields and field.name not in left_out]
        first = [name for name in self.text_first if name in in_model_order]
        return (*first, *(name for name in in_model_order if name not in first))

    def title(self, obj, language: str) -> str:
        title = translated(obj, self.title_field, language)
        if self.title_prefix_field:
            prefix = getattr(obj, self.title_prefix_field)
            return f"{prefix}: {title}" if title and title != prefix else prefix
        return title

    def text(self, obj, language: str) -> str:
        # Citation markers ([^slug]) are for the page's reference list, not for search text.
        parts = (plain(strip_citations(translated(obj, name, language))) for name in self.text_fields)
        return "\n\n".join(part for part in parts if part)

    def keywords(self, obj) -> str:
        translated_fields = i18n.translated_fields(self.model)
        names = [column for name in self.keyword_fields
                 for column in (i18n.columns(name) if name in translated_fields else [name])]
        words = [str(getattr(obj, name, "") or "") for name in names]
        for related_name, field in self.inline_keywords:
            words += [str(value) for value in getattr(obj, related_name).values_list(field, flat=True)]
        return " ".join(words)

    def url(self, slug: str) -> str:
        """The public page of the item (in the active language)."""
        return slug_path(self.model.public_url_name, slug)


_sources: dict[str, Source] = {}


def register(declaration: type[Source]) -> type[Source]:
    """Class decorator: index `declaration.model` as `declaration` says."""
    source = declaration()
    if source.kind in _sources and type(_sources[source.kind]) is not declaration:
        raise ValueError(f"Two search sources for kind {source.kind!r}.")
    _sources[source.kind] = source
    return declaration


def sources() -> tuple[Source, ...]:
    return tuple(_sources.values())


def kinds() -> tuple[str, ...]:
    return tuple(_sources)


def source_for_kind(kind: str) -> Source:
    return _sources[kind]


def source_for(model: type[models.Model]) -> Source | None:
    """The declaration of `model`, None when it is not searched."""
    return next((source for source in _sources.values() if source.model._meta.label == model._meta.label), None)
