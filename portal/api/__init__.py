"""JSON API v1: shared machinery, the root, references, search, the change feed and tokens."""
