"""Query counts of the analyst pages: constant in the number of rows (two data sizes)."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    LeadDepartmentFactory,
    LineageFactory,
    NaccRecommendationFactory,
    ReportFactory,
    SignatureInitiativeFactory,
    SourceFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

from .view_helpers import D, content

pytestmark = pytest.mark.django_db


# --- query counts: constant in the number of rows ------------------------------------------------
@pytest.fixture
def cited():
    return ReportFactory(slug="rtl")


def grow(n, group, report):
    """n fully documented items: countries, sources, two deadlines, per-country statuses."""
    signature = SignatureInitiativeFactory(agenda=group.agenda)
    mx = CountryFactory(code="MX")
    for _ in range(n):
        irritant = IrritantFactory(
            working_group=group, countries=["CA", "MX", "US"], report=report, signature_initiative=signature
        )
        irritant.sources.add(SourceFactory(), SourceFactory())
        DeadlineFactory(irritant=irritant, report=report).sources.add(SourceFactory())
        DeadlineFactory(irritant=irritant, set_on=D(2006, 9, 7), due_on=D(2007, 6, 30))
        StatusReportFactory(irritant=irritant, report=report).sources.add(SourceFactory())
        StatusReportFactory(irritant=irritant, country=mx, status="delayed")
        LeadDepartmentFactory(working_group=WorkingGroupFactory(agenda=group.agenda), country=mx)


LIST_PAGES = [
    ("agenda:irritant_list", {}),
    ("agenda:irritant_list", {"country": "MX", "overdue": "true", "ordering": "-status", "report": "rtl"}),
    (
        "agenda:irritant_list",
        {"as_of": "2006-12-31", "ordering": "target", "working_group": "traveller-security"},
    ),
    ("agenda:working_group_detail", {}),
    ("agenda:country_detail", {}),
]


def _get(client, name, params, group):
    args = {"agenda:working_group_detail": [group.slug], "agenda:country_detail": ["MX"]}.get(name, [])
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    content(response)
    return response


@pytest.mark.parametrize(("name", "params"), LIST_PAGES)
def test_page_query_count_does_not_grow_with_rows(
    analyst_client, group, cited, name, params, django_assert_max_num_queries
):
    grow(3, group, cited)
    # 4 for the session and permissions, the rest for the rows and the sidebar's choices.
    with django_assert_max_num_queries(14) as few:
        _get(analyst_client, name, params, group)
    grow(20, group, cited)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _get(analyst_client, name, params, group)


def test_detail_query_count_does_not_grow_with_rows(
    analyst_client, documented, django_assert_max_num_queries
):
    # 4 for the session and permissions, 1 for the item, 8 prefetches (countries, sources, deadlines
    # and their sources, status reports and their sources, NACC recommendations and their sources),
    # 2 for the lineage timeline (the links and their sources).
    LineageFactory(irritant=documented).sources.add(SourceFactory())
    with django_assert_max_num_queries(15) as few:
        analyst_client.get(documented.get_absolute_url(), {"as_of": "2007-01-01"})
    for n in range(20):
        day = D(2007, 1, 1) + datetime.timedelta(days=n)
        DeadlineFactory(irritant=documented, set_on=day, due_on=D(2009, 12, 31)).sources.add(
            SourceFactory(), SourceFactory()
        )
        StatusReportFactory(
            irritant=documented, as_of=D(2007, 1, 1) + datetime.timedelta(days=n)
        ).sources.add(SourceFactory())
        documented.sources.add(SourceFactory())
        NaccRecommendationFactory(report=ReportFactory()).irritants.add(documented)
        LineageFactory(irritant=documented, report=ReportFactory()).sources.add(SourceFactory())
        LineageFactory(continues=documented).sources.add(SourceFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(documented.get_absolute_url(), {"as_of": "2007-01-01"}).status_code == 200
