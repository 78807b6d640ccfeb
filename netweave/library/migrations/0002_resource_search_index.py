"""The resource center's full-text index over Resource.search_text (netweave/library/search.py):
a contentless FTS5 table, its triggers and a covering index on SQLite; a generated tsvector column
and its GIN index on PostgreSQL.

SQLite: a later migration that rebuilds library_resource (most field changes do) drops the triggers
with the old table: drop them before and recreate them after (search.sqlite_triggers_drop_sql,
search.sqlite_triggers_sql), then run `netweave library_reindex --rebuild`. The covering index
(library_resource_facets) goes with the old table too: search.sqlite_index_sql() recreates it."""

from django.db import migrations


def create(apps, schema_editor):
    from netweave.library import search

    search.create_index(schema_editor)


def drop(apps, schema_editor):
    from netweave.library import search

    search.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
