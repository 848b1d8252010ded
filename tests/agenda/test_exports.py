"""CSV exports: columns, values, escaping, filenames, bad parameters and query counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import exports
from agenda.choices import IrritantStatus
from agenda.models import Irritant
from tests.factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    SignatureInitiativeFactory,
    SourceFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date

IRRITANT_HEADER = [
    "ref",
    "title",
    "summary",
    "working group",
    "agenda",
    "countries",
    "scope",
    "category",
    "category basis",
    "current status",
    "status date",
    "latest target",
    "latest target as worded",
    "original target",
    "slippage (days)",
    "overdue",
    "signature initiative",
    "confidence",
    "sources",
    "continues",
    "detail URL",
]


def body(response):
    return b"".join(response.streaming_content)


def rows(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def as_dicts(response):
    header, *data = rows(response)
    return [dict(zip(header, row, strict=True)) for row in data]


@pytest.fixture
def item():
    group = WorkingGroupFactory(name="Traveller Security")
    rtl = ReportFactory(slug="rtl-2005", released_on=D(2005, 6, 27))
    irritant = IrritantFactory(
        ref="S-TS-01",
        title="Biometrics",
        working_group=group,
        countries=["CA", "MX", "US"],
        signature_initiative=SignatureInitiativeFactory(name="Biometrics vision", agenda=group.agenda),
    )
    irritant.sources.add(
        SourceFactory(url="https://www.dhs.gov/a"), SourceFactory(url="https://www.dhs.gov/b")
    )
    first = DeadlineFactory(
        irritant=irritant,
        set_on=D(2005, 6, 27),
        due_on=D(2006, 6, 30),
        target_text="within 12 months",
        report=rtl,
    )
    first.sources.add(SourceFactory(url="https://www.spp.gov/2005"))
    DeadlineFactory(
        irritant=irritant, set_on=D(2006, 9, 7), due_on=D(2006, 12, 31), target_text="by end 2006"
    )
    StatusReportFactory(
        irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING, report=rtl, note="all three"
    ).sources.add(SourceFactory(url="https://www.spp.gov/2006"))
    StatusReportFactory(
        irritant=irritant,
        as_of=D(2006, 6, 15),
        status=IrritantStatus.INITIATED,
        country=CountryFactory(code="MX"),
    )
    return irritant


# --- irritants -----------------------------------------------------------------------------------
def test_irritant_export_columns_and_values(analyst_client, item):
    response = analyst_client.get(reverse("agenda:irritant_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *data = rows(response)
    assert header == IRRITANT_HEADER
    row = dict(zip(header, data[0], strict=True))
    assert row == {
        "ref": "S-TS-01",
        "title": "Biometrics",
        "summary": "",
        "working group": "Traveller Security",
        "agenda": "Prosperity",
        "countries": "CA MX US",
        "scope": "trilateral",
        "category": "Early harvest",
        "category basis": "Derived from targets",
        "current status": "Ongoing",
        "status date": "2006-06-15",
        "latest target": "2006-12-31",
        "latest target as worded": "by end 2006",
        "original target": "2006-06-30",
        "slippage (days)": "184",
        "overdue": "yes",
        "signature initiative": "Biometrics vision",
        "confidence": "Read on an official page",
        "sources": "https://www.dhs.gov/a; https://www.dhs.gov/b",
        "continues": "",
        "detail URL": "http://testserver/irritants/S-TS-01/",
    }


def test_irritant_export_uses_the_list_filters_and_ordering(analyst_client):
    IrritantFactory(ref="A", countries=["CA"])
    IrritantFactory(ref="B", countries=["MX"])
    IrritantFactory(ref="C", countries=["MX", "US"])
    response = analyst_client.get(reverse("agenda:irritant_export"), {"country": "MX", "ordering": "-ref"})
    assert [row["ref"] for row in as_dicts(response)] == ["C", "B"]


def test_irritant_export_as_of_states_that_day_and_names_the_file(analyst_client, item):
    response = analyst_client.get(reverse("agenda:irritant_export"), {"as_of": "2006-01-01"})
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="spp-irritants-{today}-as-of-2006-01-01.csv"'
    )
    (row,) = as_dicts(response)
    assert row["current status"] == ""
    assert row["latest target"] == "2006-06-30"
    assert row["slippage (days)"] == "0"
    assert row["overdue"] == "no"


def test_export_filename_carries_the_date(analyst_client):
    response = analyst_client.get(reverse("agenda:irritant_export"))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="spp-irritants-{today}.csv"'


def test_cells_that_look_like_formulas_are_neutralised(analyst_client):
    titles = ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tTabbed", "\rReturn", "Plain - safe"]
    for n, title in enumerate(titles):
        IrritantFactory(ref=f"X-{n}", title=title)
    found = [row["title"] for row in as_dicts(analyst_client.get(reverse("agenda:irritant_export")))]
    assert found == ["'" + t for t in titles[:-1]] + ["Plain - safe"]


def test_negative_numbers_stay_numbers():
    assert exports._cell(-3) == -3
    assert exports._cell("-3") == "'-3"
    assert exports._cell(None) == ""
    assert exports._cell(True) == "yes"


def test_bad_parameters_answer_400_with_the_error_text(analyst_client):
    for name in ["irritant_export", "status_report_export", "deadline_export"]:
        response = analyst_client.get(reverse(f"agenda:{name}"), {"status": "finished", "as_of": "soon"})
        assert response.status_code == 400
        text = response.content.decode()
        assert "status" in text and "finished is not one of the available choices" in text
        assert "as_of" in text and "Enter a valid date" in text


def test_irritants_csv_takes_any_queryset_for_the_admin_action(item):
    IrritantFactory(ref="OTHER")
    response = exports.irritants_csv(Irritant.objects.filter(ref="S-TS-01"))
    (row,) = as_dicts(response)
    assert row["ref"] == "S-TS-01"
    assert row["current status"] == "Ongoing"
    assert row["detail URL"] == "/irritants/S-TS-01/"  # no request: a site-relative address


# --- status history and deadlines ----------------------------------------------------------------
def test_status_history_export_has_one_row_per_status_report(analyst_client, item):
    IrritantFactory(ref="ELSEWHERE", countries=["CA"])
    response = analyst_client.get(reverse("agenda:status_report_export"), {"country": "MX"})
    header, *data = rows(response)
    assert header == [
        "ref",
        "title",
        "as of",
        "status",
        "country",
        "stated by",
        "confidence",
        "note",
        "sources",
    ]
    assert data == [
        [
            "S-TS-01",
            "Biometrics",
            "2006-06-15",
            "Ongoing",
            "all",
            "rtl-2005",
            "Read on an official page",
            "all three",
            "https://www.spp.gov/2006",
        ],
        ["S-TS-01", "Biometrics", "2006-06-15", "Initiated", "MX", "", "Read on an official page", "", ""],
    ]
    assert "spp-status-history-" in response["Content-Disposition"]


def test_status_history_export_as_of_leaves_out_later_reports(analyst_client, item):
    StatusReportFactory(irritant=item, as_of=D(2008, 1, 1), status=IrritantStatus.COMPLETED)
    response = analyst_client.get(reverse("agenda:status_report_export"), {"as_of": "2007-01-01"})
    assert [row["as of"] for row in as_dicts(response)] == ["2006-06-15", "2006-06-15"]


def test_deadline_export_has_one_row_per_deadline_with_slippage(analyst_client, item):
    response = analyst_client.get(reverse("agenda:deadline_export"))
    header, *data = rows(response)
    assert header == [
        "ref",
        "title",
        "set on",
        "target as worded",
        "due on",
        "set by",
        "slippage vs original (days)",
        "confidence",
        "note",
        "sources",
    ]
    assert [row[:7] for row in data] == [
        ["S-TS-01", "Biometrics", "2005-06-27", "within 12 months", "2006-06-30", "rtl-2005", "0"],
        ["S-TS-01", "Biometrics", "2006-09-07", "by end 2006", "2006-12-31", "", "184"],
    ]
    assert data[0][9] == "https://www.spp.gov/2005"


def test_deadline_export_as_of_leaves_out_later_targets(analyst_client, item):
    response = analyst_client.get(reverse("agenda:deadline_export"), {"as_of": "2006-01-01"})
    assert [row["set on"] for row in as_dicts(response)] == ["2005-06-27"]
    assert response["Content-Disposition"].endswith('-as-of-2006-01-01.csv"')


# --- query counts --------------------------------------------------------------------------------
def grow(n):
    mx = CountryFactory(code="MX")
    for _ in range(n):
        irritant = IrritantFactory(countries=["CA", "MX"])
        irritant.sources.add(SourceFactory(), SourceFactory())
        DeadlineFactory(irritant=irritant, report=ReportFactory()).sources.add(SourceFactory())
        DeadlineFactory(irritant=irritant, set_on=D(2006, 9, 7), due_on=D(2007, 6, 30))
        StatusReportFactory(irritant=irritant, report=ReportFactory()).sources.add(SourceFactory())
        StatusReportFactory(irritant=irritant, country=mx)


@pytest.mark.parametrize("name", ["irritant_export", "status_report_export", "deadline_export"])
@pytest.mark.parametrize("params", [{}, {"country": "MX", "as_of": "2007-01-01", "ordering": "-target"}])
def test_export_query_count_does_not_grow_with_rows(
    analyst_client, name, params, django_assert_max_num_queries
):
    grow(3)
    # 4 for the session and permissions, then the rows and one prefetch per to-many column.
    with django_assert_max_num_queries(8) as few:
        assert len(rows(analyst_client.get(reverse(f"agenda:{name}"), params))) > 3
    grow(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(analyst_client.get(reverse(f"agenda:{name}"), params))) > 20
