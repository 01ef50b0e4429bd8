"""CSV for `?format=csv`: the same rows and filters as the JSON list, for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

from rest_framework.renderers import BaseRenderer

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP,
# "CSV Injection"); a leading single quote makes them show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A related object becomes its slug, a list of them slugs joined by "; "; text that a
    spreadsheet would run as a formula is prefixed with a quote. JSON numbers (a year, a
    position) stay numbers, negative ones included: a number cannot carry a formula."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value["slug"]) if "slug" in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):
            rows = [rows]
        rows = rows or []
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        buffer = io.StringIO()
        # The byte-order mark makes spreadsheet programs read UTF-8 (Chinese names) correctly.
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(column)) for column in columns])
        view = (renderer_context or {}).get("view")
        response = (renderer_context or {}).get("response")
        if response is not None and view is not None:
            name = getattr(view, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return buffer.getvalue().encode(self.charset)
