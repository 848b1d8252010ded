"""An exported file imports back unchanged: the import reads the export's columns."""

import pytest
from django.urls import reverse

from agenda.imports import Importer

pytestmark = pytest.mark.django_db

EXPORTS = [
    ("agenda:irritant_export", "irritants", 75),
    ("agenda:status_report_export", "status-reports", 76),
    ("agenda:deadline_export", "deadlines", 22),
]


@pytest.mark.parametrize(("url", "kind", "rows"), EXPORTS)
def test_exported_seed_data_imports_back_unchanged(seeded, analyst_client, url, kind, rows):
    data = b"".join(analyst_client.get(reverse(url)).streaming_content)

    result = Importer(kind).run(data, dry_run=False)

    assert result.ok, result.errors[:5]
    assert result.counts() == {"create": 0, "change": 0, "unchanged": rows, "error": 0}


def test_filtered_export_edited_in_a_spreadsheet_imports_the_edit(seeded, analyst_client):
    data = b"".join(analyst_client.get(reverse("agenda:irritant_export") + "?q=P-MG-01").streaming_content)
    edited = data.decode("utf-8-sig").replace(
        "Regulatory Cooperation Framework: core drafting group", "RCF drafting"
    )

    result = Importer("irritants").run(edited.encode("utf-8"), dry_run=False)

    assert [(row.key, row.action, row.changes) for row in result.rows] == [("P-MG-01", "change", ["title"])]
