"""Full-text search on PostgreSQL (see agenda/search.py): a stored tsvector of ref, title and summary
that the database keeps in step (a generated column), under a GIN index. The trigram indexes of
0005 served the substring search it replaces, and nothing else: each cost every write of an item
(three GIN updates), so they go. Other databases get a NULL column and no index.

At 1M items the column is one table rewrite and the index one build (see search-README for times).
"""

import django.contrib.postgres.search
from django.db import migrations, models

import agenda.search

TRIGRAM_COLUMNS = ["ref", "title", "summary"]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS agenda_irr_search_gin ON agenda_irritant USING gin (search_document)"
    )
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS agenda_irr_{column}_trgm")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS agenda_irr_search_gin")
    for column in TRIGRAM_COLUMNS:  # as 0005 made them
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS agenda_irr_{column}_trgm ON agenda_irritant "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0012_state_history_build"),
    ]

    operations = [
        migrations.AddField(
            model_name="irritant",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=agenda.search.SearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
                serialize=False,
            ),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
