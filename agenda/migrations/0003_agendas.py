from django.db import migrations

SLUGS = ["prosperity", "security"]


def create_agendas(apps, schema_editor):
    Agenda = apps.get_model("agenda", "Agenda")
    for slug in SLUGS:
        Agenda.objects.get_or_create(slug=slug)


class Migration(migrations.Migration):
    """The two SPP agendas are reference data every database has."""

    dependencies = [("agenda", "0002_versions")]

    operations = [migrations.RunPython(create_agendas, migrations.RunPython.noop)]
