"""Fill the state history and the dashboard counters from the existing rows, set-based: one
INSERT...SELECT for the state rows and one for the counters (services.states_rebuild), whatever the
number of items. It reads the live models' state rules (querysets.state_expressions), the single
definition of an item's state on a day, rather than a frozen copy of them."""

from django.db import migrations


def build(apps, schema_editor):
    from agenda.services import states_rebuild

    states_rebuild()


class Migration(migrations.Migration):
    dependencies = [("agenda", "0011_state_history")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop, elidable=True)]
