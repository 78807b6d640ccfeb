"""Full-text index over Person.search_text: FTS5 on SQLite, GIN/tsvector on PostgreSQL."""

from django.db import migrations

from netweave.lib import search


def create(apps, schema_editor):
    search.create_index(schema_editor, "people_person", "search_text")


def drop(apps, schema_editor):
    search.drop_index(schema_editor, "people_person", "search_text")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
