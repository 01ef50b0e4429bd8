"""Inline citations: a Markdown body or summary cites one of its item's references as
`[^reference-slug]`, shown as a numbered link to the item's reference list.

The same pattern is read in three places: `citation_errors` (the admin, the API and the
loader refuse a citation of a reference the item does not list), `link_citations` (pages
number them) and `strip_citations` (short extracts, meta descriptions, search text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal import i18n, registry

CITATION = re.compile(r"\[\^([A-Za-z0-9][A-Za-z0-9_-]*)\]")


def cited_slugs(text: str | None) -> list[str]:
    return CITATION.findall(text or "")


def cited_fields(model) -> tuple[str, ...]:
    """Fields that may carry citations: the Markdown ones and a summary."""
    names = [*registry.markdown_fields(model)]
    if any(field.name == "summary" for field in model._meta.fields):
        names.append("summary")
    return tuple(names)


def citation_errors(model, values: Mapping[str, str], reference_slugs: Iterable[str]) -> dict[str, str]:
    """{field: message} for each cited field (any language column) citing a reference
    that is not among `reference_slugs`, the item's own references."""
    allowed = set(reference_slugs)
    errors: dict[str, str] = {}
    for name in cited_fields(model):
        columns = i18n.columns(name) if name in i18n.translated_fields(model) else [name]
        for column in columns:
            unknown = sorted({slug for slug in cited_slugs(values.get(column)) if slug not in allowed})
            if unknown:
                errors[column] = _("Cites %(slugs)s, which is not among this item's references.") % {
                    "slugs": ", ".join(f"[^{slug}]" for slug in unknown)}
    return errors


def link_citations(text, references) -> SafeString:
    """`text` (HTML if marked safe, else plain) with each citation as a numbered link to the
    reference list on the page; a citation of a reference not shown there is dropped."""
    numbers = {reference.slug: index for index, reference in enumerate(references or (), start=1)}
    html = str(conditional_escape(text or ""))

    def link(match):
        number = numbers.get(match.group(1))
        if number is None:
            return ""
        return format_html('<sup class="citation"><a href="#ref-{}">[{}]</a></sup>', match.group(1), number)

    return mark_safe(CITATION.sub(link, html))  # noqa: S308 - escaped above, links built by format_html


def strip_citations(text: str | None) -> str:
    return CITATION.sub("", text or "").replace(" .", ".")


def instance_citation_errors(instance) -> dict[str, str]:
    """`citation_errors` for a saved item, against the references it lists now."""
    model = type(instance)
    if not any(field.name == "references" for field in model._meta.many_to_many):
        return {}
    columns = {column: getattr(instance, column, "") for name in cited_fields(model)
               for column in (i18n.columns(name) if name in i18n.translated_fields(model) else [name])}
    if not any(cited_slugs(text) for text in columns.values()):
        return {}
    return citation_errors(model, columns, instance.references.values_list("slug", flat=True))
