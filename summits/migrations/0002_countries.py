from django.db import migrations

CODES = ["CA", "MX", "US"]


def create_countries(apps, schema_editor):
    Country = apps.get_model("summits", "Country")
    for code in CODES:
        Country.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    """The three SPP partners are reference data every database has."""

    dependencies = [("summits", "0001_initial")]

    operations = [migrations.RunPython(create_countries, migrations.RunPython.noop)]
