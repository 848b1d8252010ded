"""The dashboard's slipped-target rows (agenda/slips.py), built from the state history, and on
PostgreSQL an index of each item's intervals covering their state, so the comparison's and the
changes page's probes of "the item's state on day D" are index-only (100k, under load: the report
comparison 1.47 -> 0.57 s). Not in ``ItemState.Meta.indexes``: Django warns (W040) about covering
indexes on databases without them."""

import django.db.models.deletion
from django.db import migrations, models

ITEM_COVERING = "agenda_itemstate_item_covering"


def item_covering_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {ITEM_COVERING} ON agenda_itemstate (irritant_id, valid_from) "
            "INCLUDE (valid_to, is_current, status, due_on)"
        )


def item_covering_drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {ITEM_COVERING}")


def slips_build(apps, schema_editor):
    from agenda.slips import slips_insert

    slips_insert(None)


class Migration(migrations.Migration):

    dependencies = [
        ('agenda', '0015_counters_unique_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='TargetSlip',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ref', models.CharField(max_length=30)),
                ('from_start', models.DateField()),
                ('from_end', models.DateField()),
                ('to_start', models.DateField()),
                ('to_end', models.DateField(null=True)),
                ('from_due', models.DateField()),
                ('to_due', models.DateField()),
                ('days', models.IntegerField()),
                ('irritant', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agenda.irritant')),
            ],
            options={
                'indexes': [models.Index(fields=['-days', 'ref', 'from_end', 'from_start', 'to_start', 'to_end'], name='agenda_targetslip_days'), models.Index(fields=['from_end', 'days'], name='agenda_targetslip_end')],
            },
        ),
        migrations.RunPython(slips_build, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(item_covering_create, item_covering_drop),
    ]
