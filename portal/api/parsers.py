"""The API's JSON parser, with the nesting depth bounded (probe M2).

`json.load` recurses once per level, so a body of 1 000 `[` raised RecursionError: a 500, even
on the anonymous token endpoint. The body size is bounded before any parser runs: DRF reads
JSON and form bodies through `request.body`, which enforces DATA_UPLOAD_MAX_MEMORY_SIZE
(a 413, see `portal.api.throttling.exception_handler`).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def nested_deeper_than(value, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (`[]` is one), checked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; more than API_MAX_JSON_DEPTH levels of nesting is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_DEPTH
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = nested_deeper_than(data, limit)
        if too_deep:
            raise ParseError(_("The JSON body is nested too deeply: at most %(limit)s levels of arrays and "
                               "objects.") % {"limit": limit})
        return data
