"""The CSV import: checked whole, atomic, idempotent, and clear about every problem."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from agenda.imports import Importer, ImportFileError
from agenda.models import Deadline, Irritant, StatusReport

from ..factories import CountryFactory, IrritantFactory, ReportFactory, UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

STATUS_HEADER = "ref,title,as of,status,country,stated by,confidence,note,sources\n"


def csv_bytes(text):
    return text.encode("utf-8")


@pytest.fixture
def item():
    return IrritantFactory(ref="S-TS-04", countries=["CA", "MX", "US"])


@pytest.fixture
def report():
    return ReportFactory(slug="report-to-leaders-2006", released_on=datetime.date(2006, 9, 7))


def test_status_rows_are_created_and_set_the_current_status(item, report):
    data = csv_bytes(
        STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,,report-to-leaders-2006,verbatim,Table row,"
        "https://georgewbush-whitehouse.archives.gov/x.html\n"
        "S-TS-04,,2007-08-21,On track,MX,,secondary,Mexico's part,\n"
    )

    result = Importer("status-reports").run(data, dry_run=False)

    assert result.ok and result.written
    assert result.counts()["create"] == 2
    assert StatusReport.objects.count() == 2
    assert Irritant.objects.get(pk=item.pk).current_status == "on-track"
    assert StatusReport.objects.get(report=report).sources.get().is_official


def test_reimporting_the_same_file_changes_nothing(item, report):
    data = csv_bytes(
        STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,all,report-to-leaders-2006,verbatim,Row,\n"
    )
    Importer("status-reports").run(data, dry_run=False)
    version = StatusReport.objects.get().version

    result = Importer("status-reports").run(data, dry_run=False)

    assert result.counts() == {"create": 0, "change": 0, "unchanged": 1, "error": 0}
    assert StatusReport.objects.get().version == version


def test_changed_row_is_reported_as_a_change(item, report):
    Importer("status-reports").run(
        csv_bytes(STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,,report-to-leaders-2006,verbatim,Row,\n"),
        dry_run=False,
    )

    result = Importer("status-reports").check(
        csv_bytes(STATUS_HEADER + "S-TS-04,,2006-06-15,on-track,,report-to-leaders-2006,verbatim,Row,\n")
    )

    assert [(r.action, r.changes) for r in result.rows] == [("change", ["status"])]


def test_dry_run_writes_nothing(item):
    data = csv_bytes(STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,,,verbatim,Row,\n")

    result = Importer("status-reports").run(data, dry_run=True)

    assert result.ok and not result.written
    assert not StatusReport.objects.exists()


def test_one_bad_row_writes_nothing_and_every_error_names_line_and_column(item):
    data = csv_bytes(
        STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,,,verbatim,Good row,\n"
        "S-TS-04,,15/06/2006,finished,FR,no-such-report,sure,,\n"
        "P-NONE-01,,2006-06-15,initiated,,,verbatim,Row,\n"
    )

    result = Importer("status-reports").run(data, dry_run=False)

    assert not result.written
    assert not StatusReport.objects.exists()
    errors = {(line, column) for line, column, _message in result.errors}
    assert errors == {
        (3, "as of"),
        (3, "status"),
        (3, "country"),
        (3, "stated by"),
        (3, "confidence"),
        (3, "note"),
        (4, "ref"),
    }


def test_duplicate_rows_in_one_file_are_errors(item):
    row = "S-TS-04,,2006-06-15,initiated,,,verbatim,Row,\n"

    result = Importer("status-reports").check(csv_bytes(STATUS_HEADER + row + row))

    assert result.errors == [(3, "ref", "the same row as line 2")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (STATUS_HEADER.encode(), "no data rows"),
        (b"ref;as of;status\nS-TS-04;2006-06-15;initiated\n", "separated by semicolons"),
        ("ref,as of,status,note\nS-TS-04,2006-06-15,Ini\xe9,x\n".encode("latin-1"), "not UTF-8"),
        (b"ref,status,note\nS-TS-04,initiated,x\n", "missing column(s): as of"),
        (b"ref,as of,status,colour\nS-TS-04,2006-06-15,initiated,red\n", "unknown column(s): colour"),
    ],
)
def test_file_level_problems_get_a_clear_message(data, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Importer("status-reports").check(data)


def test_a_file_over_the_row_limit_is_refused(monkeypatch, item):
    monkeypatch.setattr("agenda.imports.reading.MAX_ROWS", 3)
    data = csv_bytes(
        STATUS_HEADER + "".join(f"S-TS-04,,2006-06-{d:02d},initiated,,,verbatim,x,\n" for d in range(1, 6))
    )

    with pytest.raises(ImportFileError, match="more than 3 rows"):
        Importer("status-reports").check(data)


def test_irritants_round_trip_with_new_items():
    group = WorkingGroupFactory(slug="traveller-security", name="Traveller Security")
    CountryFactory(code="MX")
    CountryFactory(code="US")
    header = "ref,title,summary,working group,agenda,countries,category,category basis,confidence,sources\n"
    data = csv_bytes(
        header + "S-TS-99,New 2005 item,From our copy of the report,traveller-security,,MX US,,,verbatim,\n"
    )

    result = Importer("irritants").run(data, dry_run=False)

    assert result.ok, result.errors
    created = Irritant.objects.get(ref="S-TS-99")
    assert created.working_group == group
    assert created.agenda == group.agenda
    assert {c.code for c in created.countries.all()} == {"MX", "US"}
    assert Importer("irritants").check(data).counts()["unchanged"] == 1


def test_unknown_working_group_and_country_are_named():
    header = "ref,title,working group,countries\n"

    result = Importer("irritants").check(csv_bytes(header + "P-ZZ-01,Item,Space travel,CA FR\n"))

    messages = {column: message for _line, column, message in result.errors}
    assert messages["working group"] == "no working group 'Space travel'"
    assert messages["countries"] == "'FR' is not CA, MX or US"


def test_deadlines_import_keeps_moved_targets(item):
    header = "ref,title,set on,target as worded,due on,set by,slippage vs original (days),confidence,note,sources\n"
    data = csv_bytes(
        header + "S-TS-04,,2005-06-27,within 36 months,2008-06-30,,,verbatim,First target,\n"
        "S-TS-04,,2007-02-23,by 2009,2009-12-31,,,verbatim,Moved,\n"
    )

    result = Importer("deadlines").run(data, dry_run=False)

    assert result.ok
    assert Deadline.objects.filter(irritant=item).count() == 2
    item.refresh_from_db()
    assert item.original_due_on == datetime.date(2008, 6, 30)
    assert item.due_on == datetime.date(2009, 12, 31)


def test_country_editor_imports_only_rows_their_country_may_write(item):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Country editors (MX)"))
    canadian = IrritantFactory(ref="S-TS-05", countries=["CA", "US"])
    data = csv_bytes(
        STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,MX,,verbatim,Mexico row,\n"
        "S-TS-04,,2006-06-15,initiated,CA,,verbatim,Canada row,\n"
        f"{canadian.ref},,2006-06-15,initiated,,,verbatim,Not ours,\n"
    )

    result = Importer("status-reports", user=editor).run(data, dry_run=False)

    assert [line for line, _column, _message in result.errors] == [3, 4]
    assert not StatusReport.objects.exists()


def test_command_dry_run_and_errors(tmp_path, item, capsys):
    good = tmp_path / "good.csv"
    good.write_text(STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,,,verbatim,Row,\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(STATUS_HEADER + "S-TS-04,,2006-13-01,initiated,,,verbatim,Row,\n", encoding="utf-8")

    call_command("import_csv", good, "--kind", "status-reports", "--dry-run")
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not StatusReport.objects.exists()

    with pytest.raises(CommandError, match="1 error"):
        call_command("import_csv", bad, "--kind", "status-reports")
    assert "line 2, column 'as of'" in capsys.readouterr().err

    call_command("import_csv", good, "--kind", "status-reports")
    assert StatusReport.objects.count() == 1


def test_new_items_can_come_with_their_status_in_one_file():
    from agenda.choices import IrritantStatus

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Country editors (MX)"))
    WorkingGroupFactory(slug="traveller-security", name="Traveller Security")
    for code in ("MX", "US"):
        CountryFactory(code=code)
    header = "ref,title,working group,countries,current status,status date,sources\n"
    data = csv_bytes(
        header + "S-TS-90,Secure documents pilot,traveller-security,MX US,Initiated,2005-11-30,"
        "https://www.gob.mx/sre/a\n"
        "S-TS-91,Second pilot,traveller-security,MX US,,,\n"
    )

    result = Importer("irritants", user=editor).run(data, dry_run=False)

    assert result.ok, result.errors
    item = Irritant.objects.get(ref="S-TS-90")
    assert (item.current_status, item.current_status_on) == (
        IrritantStatus.INITIATED,
        datetime.date(2005, 11, 30),
    )
    report = item.status_reports.get()
    assert report.created_by == editor
    assert report.sources.get().is_official
    assert not Irritant.objects.get(ref="S-TS-91").status_reports.exists()
    assert Importer("irritants", user=editor).check(data).counts()["unchanged"] == 2


def test_item_status_without_sources_is_refused():
    header = "ref,title,agenda,current status,status date\n"

    result = Importer("irritants").check(csv_bytes(header + "P-ZZ-02,Item,prosperity,completed,2006-06-15\n"))

    assert result.errors == [(2, "sources", "a new status needs the sources that state it")]


def test_country_editor_updates_an_item_of_their_country_without_a_countries_column(item):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Country editors (MX)"))
    IrritantFactory(ref="S-TS-05", countries=["CA", "US"])
    data = csv_bytes("ref,title\nS-TS-04,Renamed by Mexico\nS-TS-05,Renamed by Mexico\n")

    result = Importer("irritants", user=editor).check(data)

    assert [(line, column) for line, column, _message in result.errors] == [(3, "countries")]
    assert result.rows[0].action == "change"
