"""The ref prefix names the agenda (P-… Prosperity, S-… Security): one rule, AgendaSlug.for_ref,
that the seed (and the CSV import) fall back on when no working group says."""

from pathlib import Path

import pytest
from django.conf import settings

from agenda import seed
from agenda.choices import AgendaSlug

SOURCE = Path(settings.FIXTURE_DIRS[0]) / "source"


@pytest.mark.parametrize(
    ("ref", "agenda"),
    [
        ("P-MG-01", AgendaSlug.PROSPERITY),
        ("S-TS-04", AgendaSlug.SECURITY),
        ("p-x-01", AgendaSlug.PROSPERITY),
        ("s-x-01", AgendaSlug.SECURITY),
        ("X-01", None),
        ("", None),
    ],
)
def test_the_first_letter_of_a_ref_names_its_agenda(ref, agenda):
    assert AgendaSlug.for_ref(ref) == agenda


def test_the_seed_takes_the_agenda_of_an_item_without_a_working_group_from_its_ref():
    irritants = {row["fields"]["ref"]: row["fields"] for row in seed.build(SOURCE)["05_irritants.json"]}

    assert irritants["P-X-01"]["working_group"] is None
    assert irritants["P-X-01"]["agenda"] == [AgendaSlug.PROSPERITY]
    assert irritants["S-X-01"]["agenda"] == [AgendaSlug.SECURITY]
