"""Fill the state history and the dashboard counters from the existing rows, set-based: one
INSERT...SELECT for the state rows and one for the counters (services.states_rebuild), whatever the
number of items. It reads the live models' state rules (querysets.state_expressions), the single
definition of an item's state on a day, rather than a frozen copy of them. It now runs in 0017 (see
``build``)."""

from django.db import migrations


def build(apps, schema_editor):
    """Moved to 0017_state_as_of_columns: the live code writes columns added after this
    migration, so the build runs after the last change to the state tables."""


class Migration(migrations.Migration):
    dependencies = [("agenda", "0011_state_history")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop, elidable=True)]
