"""Keyset pages: every ordering walks forward and back over ties and NULLs without losing or
repeating a row; a page costs the same number of queries at any size, for every endpoint."""

import datetime
import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from agenda.choices import IrritantStatus
from agenda.filters import SORT_KEYS
from tests.factories import (
    DeadlineFactory,
    IrritantFactory,
    LeadDepartmentFactory,
    LineageFactory,
    NaccRecommendationFactory,
    ReportFactory,
    SignatureInitiativeFactory,
    SourceFactory,
    StatusReportFactory,
    SummitFactory,
    WorkingGroupFactory,
)

from .conftest import csv_refs, walk

pytestmark = pytest.mark.django_db

API = reverse("api:irritant-list")


@pytest.fixture
def tied_items():
    """Items with many equal sort values and NULLs: two groups and none, three statuses and none,
    two targets and none."""
    groups = [WorkingGroupFactory(name="Energy"), WorkingGroupFactory(name="Border"), None]
    statuses = [IrritantStatus.ONGOING, IrritantStatus.COMPLETED, IrritantStatus.DELAYED, None]
    targets = [datetime.date(2006, 6, 30), None, datetime.date(2007, 6, 30)]
    for n in range(23):
        group = groups[n % 3]
        item = IrritantFactory(ref=f"I-{n:02d}", working_group=group, agenda=groups[0].agenda)
        if targets[n % 3]:
            DeadlineFactory(irritant=item, due_on=targets[n % 3])
        if statuses[n % 4]:
            StatusReportFactory(irritant=item, status=statuses[n % 4])


ORDERINGS = ["", *SORT_KEYS, *(f"-{key}" for key in SORT_KEYS), "status,-target", "-working_group,category"]


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_every_ordering_pages_forward_and_back_like_the_csv(analyst_client, tied_items, ordering):
    params = {"ordering": ordering} if ordering else {}
    expected = csv_refs(analyst_client, params)
    rows, pages = walk(analyst_client, API, {**params, "page_size": 4})
    assert [row["ref"] for row in rows] == expected
    assert len(pages) == 6 and pages[0]["previous"] is None

    backwards = []
    page = pages[-1]
    while True:
        backwards[:0] = [row["ref"] for row in page["results"]]
        if not page["previous"]:
            break
        page = analyst_client.get(page["previous"]).json()
    assert backwards == expected


def test_a_cursor_tampered_with_or_from_another_order_is_a_400(api_client, tied_items):
    next_url = api_client.get(API, {"page_size": 2}).json()["next"]
    cursor = parse_qs(urlsplit(next_url).query)["cursor"][0]

    assert api_client.get(API, {"cursor": cursor[:-2] + "xx"}).status_code == 400
    other = api_client.get(API, {"cursor": cursor, "ordering": "target"})
    assert other.status_code == 400
    assert "cursor" in other.json()
    assert api_client.get(API, {"cursor": cursor, "page_size": 2}).status_code == 200


@pytest.mark.parametrize("size", ["0", "201", "x", "-1"])
def test_page_size_outside_its_range_is_a_400(api_client, size):
    response = api_client.get(API, {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


# --- queries a page: constant, for every endpoint ------------------------------------------------
def make_record(n):
    """n rows of every kind, each with links to fill (countries, sources, reports)."""
    for _ in range(n):
        summit = SummitFactory()
        report = ReportFactory(summit=summit)
        summit.sources.add(SourceFactory())
        report.sources.add(SourceFactory())
        group = WorkingGroupFactory()
        group.sources.add(SourceFactory())
        LeadDepartmentFactory(working_group=group)
        signature = SignatureInitiativeFactory(agenda=group.agenda)
        item = IrritantFactory(working_group=group, countries=["CA", "US"], signature_initiative=signature)
        item.report = report
        item.save()
        item.sources.add(SourceFactory(), SourceFactory())
        deadline = DeadlineFactory(irritant=item, report=report)
        deadline.sources.add(SourceFactory())
        status = StatusReportFactory(irritant=item, report=report)
        status.sources.add(SourceFactory())
        recommendation = NaccRecommendationFactory(report=report)
        recommendation.irritants.add(item)
        recommendation.sources.add(SourceFactory())
        link = LineageFactory(irritant=item, continues=IrritantFactory(), report=report)
        link.sources.add(SourceFactory())


ENDPOINTS = [
    "irritant",
    "status-report",
    "deadline",
    "working-group",
    "agenda",
    "country",
    "summit",
    "report",
    "source",
    "signature-initiative",
    "nacc-recommendation",
    "lineage-link",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_page_costs_the_same_queries_at_any_size(api_client, django_assert_max_num_queries, endpoint):
    url = reverse(f"api:{endpoint}-list")
    make_record(2)
    with django_assert_max_num_queries(12) as few:
        first = api_client.get(url, {"page_size": 3})
    limit = len(few.captured_queries)  # now: each request resets the connection's query log
    assert first.status_code == 200 and first.json()["results"]
    make_record(6)
    for params in ({"page_size": 3}, {"page_size": 50}):
        with django_assert_max_num_queries(limit):
            page = api_client.get(url, params)
        assert page.status_code == 200
    deep = api_client.get(url, {"page_size": 3}).json()
    for _ in itertools.repeat(None, 3):
        if deep["next"]:
            with django_assert_max_num_queries(limit):
                deep = api_client.get(deep["next"]).json()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_row_of_a_list_opens_at_its_url(api_client, endpoint):
    make_record(2)
    rows, _pages = walk(api_client, reverse(f"api:{endpoint}-list"), {"page_size": 2})
    assert rows
    for row in rows[:3]:
        detail = api_client.get(row["url"])
        assert detail.status_code == 200
        assert detail.json() == row
