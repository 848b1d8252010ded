"""Trigram indexes for the analyst search (``q``) on PostgreSQL.

``icontains`` compiles to ``UPPER(col::text) LIKE UPPER('%word%')``, which no b-tree index can
serve; a GIN trigram index on the same expression can, so a search over a million items reads the
matching rows instead of every row. SQLite has no such index and keeps its scan.
"""

from django.db import migrations

COLUMNS = ["ref", "title", "summary"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS agenda_irr_{column}_trgm ON agenda_irritant "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS agenda_irr_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0004_record_version")]

    operations = [migrations.RunPython(create, drop)]
