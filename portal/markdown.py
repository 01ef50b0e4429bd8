"""The one place where editor-written Markdown becomes HTML.

Everything that reaches a page, the API or a feed as HTML passes through
`render_markdown`, which sanitises with nh3 after rendering.
"""

import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    """This thread's converter. Building one (extensions, processors) cost as much as
    converting a typical body, so each thread keeps one and resets it between texts."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown_lib.Markdown(
            extensions=["tables", "sane_lists"], output_format="html")
    return converter


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to HTML that is safe to embed, whatever the source contained."""
    if not text:
        return mark_safe("")
    html = _converter().reset().convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 on the line above
