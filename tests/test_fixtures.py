"""The seed fixtures: built from fixtures/source/, loaded whole, and true to the source data."""

import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from agenda import seed
from agenda.models import (
    Irritant,
)
from summits.models import Summit

FIXTURES = Path(settings.FIXTURE_DIRS[0])
SOURCE = FIXTURES / "source"


def source_rows(name):
    with (SOURCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_committed_fixtures_match_the_source_data():
    fixtures = seed.build(SOURCE)

    for name, objects in fixtures.items():
        assert (FIXTURES / name).read_text(encoding="utf-8") == seed.render(objects), (
            f"{name} is stale: run manage.py build_fixtures"
        )


def test_check_command_passes_on_committed_fixtures(capsys):
    call_command("build_fixtures", "--check")

    assert "up to date" in capsys.readouterr().out


@pytest.fixture
def source_copy(tmp_path):
    target = tmp_path / "source"
    shutil.copytree(SOURCE, target)
    return target


def rewrite(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "reason"),
    [
        (
            "status_events.csv",
            "P-MG-01,2006-06-15,completed",
            "P-MG-01,2006-06-15,finished",
            "'finished' is not one of",
        ),
        ("status_events.csv", "P-MG-01,2006-06-15", "P-MG-01,15/06/2006", "is not a date"),
        ("deadline_events.csv", "P-MG-02,2005-06-27", "P-ZZ-99,2005-06-27", "no irritant 'P-ZZ-99'"),
        ("initiatives.csv", "P-MG-02,manufactured-goods", "P-MG-02,no-such-group", "no working group"),
        ("initiatives.csv", "P-MG-02,", "P-MG-01,", "appears twice"),
        ("lineage.csv", "P-MG-07,P-MG-03,", "P-MG-03,P-MG-03,", "cannot continue itself"),
        (
            "lineage.csv",
            "P-MG-07,P-MG-03,carried_forward",
            "P-MG-07,P-MG-03,renamed",
            "'renamed' is not one of",
        ),
        ("lineage.csv", "P-MG-07,P-MG-03,", "P-MG-07,P-ZZ-01,", "no irritant 'P-ZZ-01'"),
        ("lineage.csv", "P-EN-11,P-EN-05,carried_forward", "P-MG-07,P-MG-03,carried_forward", "listed twice"),
    ],
)
def test_malformed_row_stops_the_build_with_file_line_and_reason(source_copy, file, old, new, reason):
    rewrite(source_copy / file, old, new)

    with pytest.raises(seed.SourceDataError) as excinfo:
        seed.build(source_copy)

    assert excinfo.value.path.name == file
    assert excinfo.value.line > 1
    assert reason in str(excinfo.value)


def test_missing_column_is_reported(source_copy):
    path = source_copy / "summits.csv"
    rewrite(path, "start_date,", "begins,")

    with pytest.raises(seed.SourceDataError, match="summits.csv, line 1: missing column"):
        seed.build(source_copy)


def test_build_command_reports_source_errors(source_copy, tmp_path):
    rewrite(source_copy / "reports.csv", "2005-06-27", "June 2005")

    with pytest.raises(CommandError, match="reports.csv, line 2"):
        call_command("build_fixtures", "--source", source_copy, "--output", tmp_path)


def test_new_source_rows_need_no_code_change(source_copy):
    with (source_copy / "status_events.csv").open("a", encoding="utf-8") as handle:
        handle.write("P-MG-04,2007-08-21,completed,,leaders-statement-montebello-2007,test row,verbatim,\n")

    fixtures = seed.build(source_copy)

    assert len(fixtures["07_status_reports.json"]) == len(source_rows("status_events.csv")) + 1


@pytest.mark.django_db
def test_failed_load_leaves_the_database_as_it_was(tmp_path):
    for name in seed.FIXTURE_FILES:
        shutil.copy(FIXTURES / name, tmp_path / name)
    broken = tmp_path / "07_status_reports.json"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace('"status": "completed"', '"status": "finished"', 1)
    )

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_seed", "--fixtures", tmp_path)

    assert not Irritant.objects.exists()
    assert not Summit.objects.exists()


@pytest.mark.django_db
def test_update_restores_the_fixture_values_and_keeps_what_the_fixture_does_not_say():
    """``load_seed --update`` on a loaded record: the fixtures' values win, the rest of each row (its
    creation time, its history) stays; before the fix the summits' rows were saved with an empty
    ``created_at`` (the fixtures do not carry timestamps) and the load failed."""
    call_command("load_seed", verbosity=0)
    item = Irritant.objects.get(ref="S-TS-04")
    fixture_title, created = item.title, item.created_at
    item.title = "Edited by hand"
    item.save()
    summit = Summit.objects.order_by("pk").first()

    call_command("load_seed", "--update", verbosity=0)

    item.refresh_from_db()
    assert item.title == fixture_title
    assert item.created_at == created
    summit_after = Summit.objects.get(pk=summit.pk)
    assert summit_after.created_at == summit.created_at
