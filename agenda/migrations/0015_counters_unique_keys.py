"""One row per key in the dashboard counters (StateCount, PairCount): the deltas written so far are
summed per key, set-based (keys whose sum is 0 go), then the unique keys that writes upsert into are
added (agenda/state.py)."""

from django.db import migrations, models

KEYS = {
    "agenda_statecount": "is_current, dimension, key, status, day",
    "agenda_paircount": "kind, status, d1, d2",
}


def compact(apps, schema_editor):
    for table, keys in KEYS.items():
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING {keys}, n) INSERT INTO {table} ({keys}, n) "
                f"SELECT {keys}, SUM(n) FROM gone GROUP BY {keys} HAVING SUM(n) <> 0"
            )
        else:
            schema_editor.execute(
                f"CREATE TEMP TABLE compacted AS SELECT {keys}, SUM(n) AS n FROM {table} GROUP BY {keys} "
                "HAVING SUM(n) <> 0"
            )
            schema_editor.execute(f"DELETE FROM {table}")
            schema_editor.execute(f"INSERT INTO {table} ({keys}, n) SELECT {keys}, n FROM compacted")
            schema_editor.execute("DROP TABLE compacted")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0014_search_list_index")]

    operations = [
        migrations.RunPython(compact, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="statecount",
            constraint=models.UniqueConstraint(
                fields=("is_current", "dimension", "key", "status", "day"), name="agenda_statecount_unique_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="paircount",
            constraint=models.UniqueConstraint(
                fields=("kind", "status", "d1", "d2"), name="agenda_paircount_unique_key"
            ),
        ),
    ]
