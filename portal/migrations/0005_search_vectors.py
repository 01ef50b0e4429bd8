# Search at 120 000 items: on PostgreSQL each entry's terms go into a tsvector with a GIN
# index instead of ~400 SearchTerm rows per entry; SQLite keeps the term table. The index
# rows are derived data, so both directions empty them, and `migrate` rebuilds them
# (portal.search.rebuild_if_empty) or asks for `manage.py rebuild_search_index`.

from django.db import migrations

import portal.models

GIN_INDEXES = {"search_entry_vector": "vector", "search_entry_title_vector": "title_vector"}


def empty_index(apps, schema_editor):
    """Old rows fit neither layout (0004's terms, or vectors SQLite would ignore)."""
    if schema_editor.connection.vendor == "postgresql":
        # TRUNCATE leaves no deferred foreign-key checks behind to block the ALTERs.
        schema_editor.execute("TRUNCATE portal_searchterm, portal_searchentry")
    else:
        apps.get_model("portal", "SearchTerm").objects.all().delete()
        apps.get_model("portal", "SearchEntry").objects.all().delete()


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in GIN_INDEXES.items():
            schema_editor.execute(f'CREATE INDEX "{name}" ON portal_searchentry USING gin ("{column}")')


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in GIN_INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0004_search_entry_per_item'),
    ]

    operations = [
        migrations.RunPython(empty_index, empty_index),
        migrations.AddField(
            model_name='searchentry',
            name='title_vector',
            field=portal.models.TermVectorField(default='', editable=False),
        ),
        migrations.AddField(
            model_name='searchentry',
            name='vector',
            field=portal.models.TermVectorField(default='', editable=False),
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]
