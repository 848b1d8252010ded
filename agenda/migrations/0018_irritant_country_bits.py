"""Irritant.country_bits: the countries taking part as bits (CA 1, MX 2, US 4), stored with the other
derived values (services.stored_refresh keeps them) so that filters by country or scope read the
item's row instead of joining its links (issue 11). Filled here from the links, in one statement."""

from django.db import migrations, models

FILL = """
UPDATE agenda_irritant SET country_bits = COALESCE((
    SELECT SUM(CASE c.code WHEN 'CA' THEN 1 WHEN 'MX' THEN 2 WHEN 'US' THEN 4 ELSE 0 END)
    FROM agenda_irritant_countries ic JOIN summits_country c ON c.id = ic.country_id
    WHERE ic.irritant_id = agenda_irritant.id
), 0)
WHERE EXISTS (SELECT 1 FROM agenda_irritant_countries ic WHERE ic.irritant_id = agenda_irritant.id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0017_state_as_of_columns"),
        ("summits", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="irritant",
            name="country_bits",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="historicalirritant",
            name="country_bits",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
