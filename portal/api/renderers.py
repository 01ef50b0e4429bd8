"""CSV for `?format=csv`: the same rows and filters as the JSON list, for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

from rest_framework.renderers import BaseRenderer


def cell(value) -> str:
    """A related object becomes its slug, a list of them slugs joined by "; "."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value["slug"]) if "slug" in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(cell(item) for item in value)
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
