"""Generated input (hypothesis, fixed example budgets): query strings over the analyst pages, the CSV
exports and the admin changelists never answer a server error; malformed import files through the
command and the admin import page never leave a traceback or a partial write (issue 8).

Budgets: 9 query-string targets x 120 examples = 1,080 query strings; 120 import files through the
command + 100 through the admin page = 220 files. The data is small (a few items of each kind) so
each example costs a few milliseconds; what is generated is the input, not the record."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.choices import IrritantStatus
from agenda.models import Deadline, Irritant, StatusReport
from summits.models import Source

from .factories import (
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    SourceFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db

QUERY_EXAMPLES = 120
COMMAND_FILES = 120
ADMIN_FILES = 100
SETTINGS = {
    "deadline": None,
    "derandomize": True,  # the same examples every run: a failure is reproducible
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
OUTCOMES = {"queries": {}, "imports": {}}


@pytest.fixture
def record(db):
    report = ReportFactory(slug="report-to-leaders-2006", released_on=datetime.date(2006, 9, 7))
    for n in range(3):
        item = IrritantFactory(ref=f"S-TS-0{n}", report=report, countries=["CA", "MX", "US"][: n + 1])
        item.sources.add(SourceFactory())
        DeadlineFactory(irritant=item, report=report, set_on=datetime.date(2005, 6, 27))
        StatusReportFactory(irritant=item, status=IrritantStatus.ON_TRACK, report=report)
    return item


# --- query strings ------------------------------------------------------------------------------
ANALYST_PARAMS = [
    "q", "working_group", "agenda", "country", "scope", "category", "category_basis", "status",
    "signature_initiative", "report", "deadline_after", "deadline_before", "overdue", "no_target",
    "as_of", "ordering", "page", "from", "to",
]  # fmt: skip
ADMIN_PARAMS = [
    "q", "o", "p", "e", "all", "agenda__slug__exact", "working_group__id__exact", "countries__id__exact",
    "category__exact", "current_status", "overdue", "confidence__exact", "status__exact", "country__id__exact",
    "report__id__exact", "as_of__year", "as_of__month", "as_of__day", "due_on__year", "due_on__month",
    "title__regex", "title__iregex", "ref__startswith", "set_on__gte", "as_of__lt", "id__in", "pk__gt",
    "irritant__working_group__id__exact", "due_on__isnull", "_changelist_filters",
]  # fmt: skip
AWKWARD = [
    "", " ", "\x00", "(", "[", "*", "%", "'", '"', "\\", "-1", "0", "1", "99999999999999999999999", "9999",
    "2006-06-30", "2006-02-30", "9999-12-31", "0001-01-01", "1899-01-01", "true", "false", "yes", "none",
    "security", "prosperity", "on-track", "S-TS-01", "report-to-leaders-2006", "-ref", "ref", "target",
    "1,2", "x" * 3000, "\u202e", "\U0001f600", "<script>", "a\x00b", "NaN", "1e9", "2006-06-30T00:00",
]  # fmt: skip


def query_strings(names):
    """Mostly known parameter names (an unknown one makes the admin drop the whole query string),
    with awkward values, sometimes any text or number."""
    awkward, known = st.sampled_from(AWKWARD), st.sampled_from(names)
    value = st.one_of(awkward, awkward, st.text(max_size=30), st.integers().map(str))
    name = st.one_of(known, known, known, st.text(min_size=1, max_size=12))
    return st.lists(st.tuples(name, value), max_size=3).map(urlencode)


def assert_no_server_error(client, path, query, target):
    response = client.get(f"{path}?{query}")
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # an export fails, if at all, while streaming
    assert response.status_code < 500, (path, query)
    counts = OUTCOMES["queries"].setdefault(target, {})
    counts[response.status_code] = counts.get(response.status_code, 0) + 1


ANALYST_TARGETS = {
    "irritant list": lambda: reverse("agenda:irritant_list"),
    "irritant page": lambda: reverse("agenda:irritant_detail", args=["S-TS-01"]),
    "dashboard": lambda: reverse("agenda:dashboard"),
    "irritants CSV": lambda: reverse("agenda:irritant_export"),
    "status history CSV": lambda: reverse("agenda:status_report_export"),
    "deadlines CSV": lambda: reverse("agenda:deadline_export"),
}
ADMIN_TARGETS = {
    "admin irritants": "admin:agenda_irritant_changelist",
    "admin status reports": "admin:agenda_statusreport_changelist",
    "admin deadlines": "admin:agenda_deadline_changelist",
}


@pytest.mark.parametrize("target", ANALYST_TARGETS)
def test_generated_query_strings_on_analyst_pages_and_exports(analyst_client, record, target):
    path = ANALYST_TARGETS[target]()

    @settings(max_examples=QUERY_EXAMPLES, **SETTINGS)
    @given(query=query_strings(ANALYST_PARAMS))
    def run(query):
        assert_no_server_error(analyst_client, path, query, target)

    run()
    print(f"{target}: {QUERY_EXAMPLES} query strings, statuses {OUTCOMES['queries'][target]}")


@pytest.mark.parametrize("target", ADMIN_TARGETS)
def test_generated_query_strings_on_admin_changelists(staff_client, record, target):
    path = reverse(ADMIN_TARGETS[target])

    @settings(max_examples=QUERY_EXAMPLES, **SETTINGS)
    @given(query=query_strings(ADMIN_PARAMS))
    def run(query):
        assert_no_server_error(staff_client, path, query, target)

    run()
    print(f"{target}: {QUERY_EXAMPLES} query strings, statuses {OUTCOMES['queries'][target]}")


# --- malformed import files ---------------------------------------------------------------------
HEADERS = {
    "irritants": ["ref", "title", "summary", "working group", "agenda", "countries", "category",
                  "category basis", "confidence", "sources", "current status", "status date"],
    "status-reports": ["ref", "as of", "status", "country", "stated by", "confidence", "note", "sources"],
    "deadlines": ["ref", "set on", "target as worded", "due on", "set by", "confidence", "note", "sources"],
}  # fmt: skip
CELLS = [
    "", "S-TS-01", "S-TS-99", "P-NEW-01", "2006-06-15", "1899-01-01", "2106-01-01", "2006-13-45", "initiated",
    "completed", "on track", "bogus", "CA", "MX", "XX", "all", "report-to-leaders-2006", "no-such-report",
    "verbatim", "secondary", "https://www.dhs.gov/x", "javascript:alert(1)", "http://[::1", "x" * 301,
    "y" * 1200, "a\x00b", "=SUM(A1)", "'=quoted", "security", "prosperity", "staff", "derived", "by 2008",
    "2008-12-31", '"', "\r\n", "line\nbreak", "Border", "CA MX US",
]  # fmt: skip


GOOD = {
    "ref": ["S-TS-00", "S-TS-01", "S-TS-02"],
    "title": ["A title", "=HYPERLINK(1)", "Title, with comma"],
    "as of": ["2006-06-15", "2007-08-21", "2006-06-16"],
    "set on": ["2005-06-27", "2006-06-15"],
    "due on": ["2008-12-31", ""],
    "target as worded": ["by 2008", "by June 2007"],
    "status": ["initiated", "on track", "completed"],
    "country": ["", "all", "CA"],
    "stated by": ["", "report-to-leaders-2006"],
    "set by": ["", "report-to-leaders-2006"],
    "confidence": ["verbatim", "secondary"],
    "note": ["Generated row", "=1+1"],
    "sources": ["https://www.state.gov/a.html", ""],
    "agenda": ["security"],
    "countries": ["CA MX US"],
}


@st.composite
def malformed_files(draw):
    kind = draw(st.sampled_from(list(HEADERS)))
    known = HEADERS[kind]
    headers = draw(
        st.lists(st.one_of(st.sampled_from(known), st.sampled_from(["", "junk", "REF", " as of "])),
                 min_size=1, max_size=len(known) + 1)
    )  # fmt: skip
    plausible = draw(st.booleans())
    if plausible:  # every column, plausible rows with at most one damaged cell: the write path runs too
        headers = list(known)
    elif draw(st.booleans()):  # well-formed headers, so the rows are checked too
        headers = [h for h in known if h in headers or known.index(h) < 3]
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=20))
    if plausible:
        rows = []
        for _ in range(draw(st.integers(1, 3))):
            row = [draw(st.sampled_from(GOOD.get(h, [""]))) for h in headers]
            for _ in range(draw(st.integers(0, 1))):
                if row:
                    row[draw(st.integers(0, len(row) - 1))] = draw(cell)
            rows.append(row)
    else:
        rows = draw(
            st.lists(st.lists(cell, min_size=len(headers) - 1, max_size=len(headers) + 1), max_size=6)
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    damage = draw(st.sampled_from(["none"] * 5 + ["latin-1", "bom", "semicolons", "truncate", "binary"]))
    if damage == "latin-1":
        data = out.getvalue().encode("utf-8", "replace") + b"\xe9\xff"
    elif damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif damage == "semicolons":
        data = data.replace(b",", b";")
    elif damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "binary":
        data = draw(st.binary(max_size=200))
    return kind, data


def snapshot():
    return tuple(model.objects.count() for model in (Irritant, StatusReport, Deadline, Source)) + tuple(
        model.history.count() for model in (Irritant, StatusReport, Deadline)
    )


def note_import(path, outcome):
    counts = OUTCOMES["imports"].setdefault(path, {})
    counts[outcome] = counts.get(outcome, 0) + 1


def test_generated_malformed_files_through_the_command(record, tmp_path):
    @settings(max_examples=COMMAND_FILES, **SETTINGS)
    @given(case=malformed_files())
    def run(case):
        kind, data = case
        path = tmp_path / "generated.csv"
        path.write_bytes(data)
        before = snapshot()
        try:
            call_command("import_csv", str(path), kind=kind, stdout=io.StringIO(), stderr=io.StringIO())
        except CommandError:
            assert snapshot() == before, "a refused file wrote something"
            note_import("command", "refused")
        else:
            note_import("command", "imported")

    run()
    print(f"import command: {OUTCOMES['imports']['command']}")


def test_generated_malformed_files_through_the_admin_import_page(staff_client, record):
    url = reverse("admin:agenda_irritant_import")

    @settings(max_examples=ADMIN_FILES, **SETTINGS)
    @given(case=malformed_files())
    def run(case):
        kind, data = case
        before = snapshot()
        preview = staff_client.post(url, {"kind": kind, "file": SimpleUploadedFile("g.csv", data)})
        assert preview.status_code == 200
        result = preview.context.get("result")
        if result is None or not result.ok:
            assert snapshot() == before, "a preview wrote something"
            note_import("admin", "refused")
            return
        confirmed = staff_client.post(url, {"confirm": "1", "digest": preview.context["digest"]})
        assert confirmed.status_code in (200, 302)
        note_import("admin", "imported" if confirmed.status_code == 302 else "refused at confirmation")

    run()
    print(f"admin import page: {OUTCOMES['imports']['admin']}")
