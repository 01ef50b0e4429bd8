"""Template helpers of the whole public site: JSON-LD, the approvals chart, choice labels, paging.

Helpers about one app's models live in that app's library (`therapy_tags`, `policy_tags`)."""

from __future__ import annotations

import functools
import json

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.citations import link_citations, strip_citations
from portal.dates import display_partial_date, machine_partial_date

register = template.Library()

# json.dumps leaves these as-is; inside <script> they could end the block or open a comment.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data: dict) -> SafeString:
    """A schema.org data block: not executable, so a strict script-src still allows it."""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def absolute(context, url: str | None) -> str | None:
    request = context.get("request")
    return request.build_absolute_uri(url) if request and url else url


@functools.cache
def _choice_labels(model, field_name: str) -> dict:
    derived = getattr(model, "derived_choices", {})  # values computed in queries (an approval's status)
    if field_name in derived:
        return dict(derived[field_name].choices)
    return dict(model._meta.get_field(field_name).flatchoices)


@register.filter
def display(obj, field_name: str) -> str:
    """`obj.get_<field_name>_display()`, for lists: Django's rebuilds the field's choices and
    translates every label on each call, which added up to milliseconds per page."""
    value = getattr(obj, field_name)
    return force_str(_choice_labels(type(obj), field_name).get(value, value), strings_only=True)


@register.filter
def is_public(obj) -> bool:
    """True for a published item: links to drafts and archived items are never shown."""
    return bool(obj is not None and getattr(obj, "is_published", False))


@register.simple_tag
def page_url(query: str, number: int) -> str:
    """`?<current filters>&page=N` for pagination links that keep the facets."""
    return f"?{query}&page={number}" if query else f"?page={number}"


# --- approvals per year, as an SVG drawn on the server -----------------------------------
_CHART_WIDTH, _CHART_HEIGHT = 720, 280
_MARGIN_LEFT, _MARGIN_BOTTOM, _MARGIN_TOP = 36, 28, 12


@register.simple_tag
def approvals_chart(stats) -> SafeString:
    """Stacked bars of approvals granted per year, one colour class per regulator.

    Decorative shapes carry no text; the figure's title and the table beside it give the
    numbers to screen readers and to anyone who prefers reading them.
    """
    if not stats.years:
        return mark_safe("")
    plot_height = _CHART_HEIGHT - _MARGIN_BOTTOM - _MARGIN_TOP
    plot_width = _CHART_WIDTH - _MARGIN_LEFT - 8
    slot = plot_width / len(stats.years)
    bar = max(4.0, slot * 0.7)
    top = max(stats.max_per_year, 1)
    title = _("Approvals of cell therapy products per year, by regulator")
    parts = [
        f'<svg class="chart" viewBox="0 0 {_CHART_WIDTH} {_CHART_HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for tick in sorted({0, top // 2, top}):
        y = _MARGIN_TOP + plot_height - plot_height * tick / top
        parts.append(
            f'<line class="chart-grid" x1="{_MARGIN_LEFT}" x2="{_CHART_WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(f'<text class="chart-axis" x="{_MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, len(stats.years) // 12)
    labels = [escape(label) for _code, label in stats.regulators]  # translated once, not per bar
    for index, (year, counts, _total) in enumerate(stats.rows):
        x = _MARGIN_LEFT + index * slot + (slot - bar) / 2
        y = _MARGIN_TOP + plot_height
        for series, count in enumerate(counts):
            if not count:
                continue
            height = plot_height * count / top
            y -= height
            parts.append(
                f'<rect class="series-{series}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}">'
                f"<title>{year} {labels[series]}: {count}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-axis" x="{x + bar / 2:.1f}" y="{_CHART_HEIGHT - 8}" '
                f'text-anchor="middle">{year}</text>'
            )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch series-{i}" aria-hidden="true"></span>{label}</li>' for i, label in enumerate(labels)
    )
    return mark_safe("".join(parts) + f'<ul class="chart-legend">{legend}</ul>')  # noqa: S308 - all text escaped


@register.simple_tag
def approvals_table_rows(stats) -> SafeString:
    """The rows of the chart's table: a year, a count per regulator and the total.

    Some twenty years by eight regulators made the template loop a sixth of the home page's
    rendering time; the markup is the same, one indented row per line.
    """
    rows = (
        f'\n        <tr><th scope="row">{year}</th>{"".join(f"<td>{count}</td>" for count in counts)}'
        f"<td>{total}</td></tr>\n      "
        for year, counts, total in stats.rows
    )
    return mark_safe("".join(rows))  # noqa: S308 - numbers only


@register.simple_tag(takes_context=True)
def website_jsonld(context) -> SafeString:
    search_url = absolute(context, reverse("search"))
    return jsonld({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": _("Cell Therapy Portal"),
        "url": absolute(context, reverse("home")),
        "inLanguage": get_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{search_url}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    })


@register.simple_tag
def partial_iso(value, precision) -> str:
    """A partial date for a `datetime` attribute, cut to what is known (2019, 2021-09)."""
    return machine_partial_date(value, precision) or ""


@register.simple_tag
def site_url(name: str) -> str:
    """`{% url %}` for the shared page frame: an error page must render even when the URLconf
    in use lacks a route (test URLconfs, a half-configured deployment), so a miss gives "".

    The frame links to the same dozen pages on every request, so each is resolved once per
    language, script prefix and URLconf.
    """
    return _frame_url(name, get_language(), get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=512)
def _frame_url(name: str, language: str | None, script_prefix: str, urlconf) -> str:
    # reverse() reads the language and the prefix from the active thread: they are in the key.
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return ""


@receiver(setting_changed)
def _forget_frame_urls(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        _frame_url.cache_clear()


@register.filter
def cite(text, references) -> SafeString:
    """Inline citations (`[^slug]`) as numbered links to the page's reference list."""
    return link_citations(text, references)


@register.filter
def uncited(text) -> str:
    """Text without its citation markers, for extracts and meta descriptions."""
    return strip_citations(text)


@register.simple_tag
def partial_time(value, precision) -> SafeString:
    """A partial date as `<time>`, machine-readable to what is known; "date not recorded"
    where no source gives it."""
    if value is None:
        return format_html('<span class="meta">{}</span>', _("date not recorded"))
    return format_html('<time datetime="{}">{}</time>', machine_partial_date(value, precision),
                       display_partial_date(value, precision))
