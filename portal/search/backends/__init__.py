"""Where the terms are stored: one interface, two implementations chosen by the database.

Both take the same entries and term weights (`portal.search.indexing`) and give the same
results; they differ only in storage. Each has `write`, `bulk_load`, `time_limit`, `counts`,
`holding` and `page`.
"""

from __future__ import annotations

from django.db import connection

from portal.search.backends.postgres import VectorIndex
from portal.search.backends.sqlite import TermTableIndex


def get_backend() -> TermTableIndex | VectorIndex:
    """The backend of the default database: vectors on PostgreSQL, the term table elsewhere."""
    return VectorIndex() if connection.vendor == "postgresql" else TermTableIndex()
