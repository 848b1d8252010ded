"""Summit list, summit page and report page: content, access, and query counts."""

import datetime

import pytest
from django.urls import reverse

from agenda.choices import IrritantStatus
from summits.choices import CountryCode, ReportKind, SourceKind, SummitKind
from tests.factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    NaccRecommendationFactory,
    ReportFactory,
    SourceFactory,
    StatusReportFactory,
    SummitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def summit():
    summit = SummitFactory(
        slug="cancun-2006",
        name="Leaders' summit, Cancun",
        kind=SummitKind.LEADERS_SUMMIT,
        city="Cancún",
        region="Quintana Roo",
        country=CountryFactory(code=CountryCode.MEXICO),
        start_date=D(2006, 3, 30),
        end_date=D(2006, 3, 31),
        host_leader="Vicente Fox",
        participants=["George W. Bush", "Stephen Harper", "Vicente Fox"],
        notes="Five priorities.",
    )
    summit.sources.set(
        [
            SourceFactory(url="https://www.gpo.gov/cancun.htm", kind=SourceKind.OFFICIAL),
            SourceFactory(url="", citation="Printed communiqué, p. 3", kind=SourceKind.CITATION),
        ]
    )
    return summit


@pytest.fixture
def report(summit):
    report = ReportFactory(
        slug="report-2006",
        title="Report to Leaders (August 2006)",
        kind=ReportKind.REPORT_TO_LEADERS,
        is_official=True,
        released_on=D(2006, 9, 7),
        covers_through=D(2006, 6, 15),
        summit=summit,
        notes="Second report.",
    )
    report.sources.add(SourceFactory(url="https://georgewbush-whitehouse.archives.gov/2006.html"))
    return report


# --- summit list ----------------------------------------------------------------------------------
def test_summit_list_shows_meetings_in_date_order_and_all_reports(analyst_client, summit, report):
    SummitFactory(
        name="Ottawa ministerial",
        kind=SummitKind.MINISTERIAL,
        country=CountryFactory(code=CountryCode.CANADA),
        start_date=D(2007, 2, 23),
        end_date=D(2007, 2, 23),
    )
    SummitFactory(
        name="Waco", country=CountryFactory(code=CountryCode.UNITED_STATES), end_date=D(2005, 3, 23)
    )
    ReportFactory(
        title="Undated NACC report", kind=ReportKind.NACC_REPORT, is_official=False, released_on=None
    )

    response = analyst_client.get(reverse("summits:summit_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [s.name for s in response.context["summits"]] == [
        "Waco",
        "Leaders' summit, Cancun",
        "Ottawa ministerial",
    ]
    assert html.index("Waco") < html.index("Cancun") < html.index("Ottawa ministerial")
    assert "Ministerial meeting" in html and "Leaders&#x27; summit" in html
    assert f'href="{report.get_absolute_url()}"' in html
    assert "NACC report" in html and "Sept. 7, 2006" in html and "unknown" in html


def test_summit_list_counts_reports_per_meeting(analyst_client, summit, report):
    ReportFactory(summit=summit)

    response = analyst_client.get(reverse("summits:summit_list"))

    assert [s.report_count for s in response.context["summits"]] == [2]


# --- summit page ----------------------------------------------------------------------------------
def test_summit_page_shows_place_dates_people_reports_and_sources(analyst_client, summit, report):
    response = analyst_client.get(summit.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancún, Quintana Roo," in html and ">Mexico</a>" in html
    assert "March 30, 2006 – March 31, 2006" in html
    assert "Vicente Fox (Mexico)" in html
    assert "George W. Bush, Stephen Harper, Vicente Fox" in html
    assert "Five priorities." in html
    assert f'<a href="{report.get_absolute_url()}">Report to Leaders (August 2006)</a>' in html
    assert '<a href="https://www.gpo.gov/cancun.htm" rel="noopener noreferrer">' in html
    assert "Printed communiqué, p. 3" in html


def test_summit_page_does_not_link_addresses_that_are_not_web_pages(analyst_client, summit):
    summit.sources.add(SourceFactory(url="javascript://www.gov/%0Aalert(1)"))

    html = analyst_client.get(summit.get_absolute_url()).content.decode()

    assert 'href="javascript:' not in html
    assert "javascript://www.gov/%0Aalert(1)" in html


def test_unknown_summit_is_404(analyst_client):
    assert analyst_client.get(reverse("summits:summit_detail", args=["nowhere"])).status_code == 404


# --- report page ----------------------------------------------------------------------------------
def test_report_page_shows_its_facts_and_sources(analyst_client, summit, report):
    response = analyst_client.get(report.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Report to Leaders" in html and "yes: issued by a government" in html
    assert "Sept. 7, 2006" in html and "June 15, 2006" in html
    assert f'<a href="{summit.get_absolute_url()}">' in html
    assert "Second report." in html
    assert "https://georgewbush-whitehouse.archives.gov/2006.html" in html
    assert f"{reverse('agenda:dashboard')}?to=report-2006#comparison" in html


def test_report_page_lists_what_the_report_stated(analyst_client, report):
    shared = IrritantFactory(ref="S-TS-04", title="Trusted traveller", countries=["CA", "US"])
    StatusReportFactory(irritant=shared, report=report, as_of=D(2006, 6, 15), status=IrritantStatus.INITIATED)
    StatusReportFactory(
        irritant=shared,
        report=report,
        as_of=D(2006, 6, 15),
        status=IrritantStatus.ON_TRACK,
        country=CountryFactory(code=CountryCode.CANADA),
    )
    StatusReportFactory(status=IrritantStatus.COMPLETED)  # cites no report
    DeadlineFactory(irritant=shared, report=report, set_on=D(2006, 9, 7), target_text="by 2008", due_on=None)
    IrritantFactory(ref="P-NEW-01", title="Put on the record here", report=report)
    recommendation = NaccRecommendationFactory(
        report=report, number=7, text="Harmonise standards", horizon=2008
    )
    recommendation.irritants.add(shared)

    response = analyst_client.get(report.get_absolute_url())

    html = response.content.decode()
    rows = [
        (s.irritant.ref, s.as_of, s.status, s.country_id and s.country.code)
        for s in response.context["status_reports"]
    ]
    assert rows == [
        ("S-TS-04", D(2006, 6, 15), IrritantStatus.INITIATED, None),
        ("S-TS-04", D(2006, 6, 15), IrritantStatus.ON_TRACK, "CA"),
    ]
    assert '<a href="/irritants/S-TS-04/">S-TS-04</a>' in html
    assert "all taking part" in html and ">Canada<" in html
    assert "by 2008" in html and "no date" in html
    assert [i.ref for i in response.context["irritants"]] == ["P-NEW-01"]
    assert "Put on the record here" in html
    assert "Harmonise standards" in html and "2008" in html
    assert 'title="Trusted traveller">S-TS-04</a>' in html


def test_report_page_of_an_undated_unofficial_report(analyst_client):
    report = ReportFactory(kind=ReportKind.NACC_REPORT, is_official=None, released_on=None)

    html = analyst_client.get(report.get_absolute_url()).content.decode()

    assert "unknown (no date on record)" in html
    assert "No status report on record cites this document." in html
    assert "?to=" not in html


def test_unknown_report_is_404(analyst_client):
    assert analyst_client.get(reverse("summits:report_detail", args=["nothing"])).status_code == 404


# --- queries --------------------------------------------------------------------------------------
def grow_summits(n):
    for _ in range(n):
        summit = SummitFactory()
        summit.sources.add(SourceFactory())
        ReportFactory(summit=summit).sources.add(SourceFactory())


def grow_report(report, n):
    for i in range(n):
        irritant = IrritantFactory(report=report, countries=["CA"])
        StatusReportFactory(irritant=irritant, report=report, country=CountryFactory(code="CA"))
        DeadlineFactory(irritant=irritant, report=report)
        NaccRecommendationFactory(report=report).irritants.add(irritant)
        report.sources.add(SourceFactory())
        assert i >= 0


def test_summit_list_query_count_does_not_grow_with_rows(analyst_client, django_assert_max_num_queries):
    url = reverse("summits:summit_list")
    grow_summits(2)
    with django_assert_max_num_queries(8) as few:
        assert analyst_client.get(url).status_code == 200
    grow_summits(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(url).status_code == 200


def test_summit_page_query_count_does_not_grow_with_rows(
    analyst_client, summit, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            ReportFactory(summit=summit)
            summit.sources.add(SourceFactory())

    grow(2)
    with django_assert_max_num_queries(8) as few:
        assert analyst_client.get(summit.get_absolute_url()).status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(summit.get_absolute_url()).status_code == 200


def test_report_page_query_count_does_not_grow_with_rows(
    analyst_client, report, django_assert_max_num_queries
):
    grow_report(report, 2)
    with django_assert_max_num_queries(12) as few:
        assert analyst_client.get(report.get_absolute_url()).status_code == 200
    grow_report(report, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(report.get_absolute_url()).status_code == 200


# --- access ---------------------------------------------------------------------------------------
@pytest.fixture
def urls(summit, report):
    return [reverse("summits:summit_list"), summit.get_absolute_url(), report.get_absolute_url()]


def test_anonymous_visitors_are_sent_to_log_in(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_users_without_the_permission_are_refused(client, urls):
    client.force_login(UserFactory())

    assert [client.get(url).status_code for url in urls] == [403, 403, 403]


def test_public_read_lets_anyone_in(client, settings, urls):
    settings.SPP_PUBLIC_READ = True

    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


# --- the real record ------------------------------------------------------------------------------
def test_seed_summit_list_has_every_meeting_and_report(seeded, analyst_client):
    context = analyst_client.get(reverse("summits:summit_list")).context

    summits = list(context["summits"])
    dates = [s.date for s in summits]
    assert len(summits) == 13 and len(context["reports"]) == 18
    assert dates == sorted(dates)
    assert summits[0].slug == "waco-2005"


def test_seed_report_to_leaders_2006_page(seeded, analyst_client):
    response = analyst_client.get(reverse("summits:report_detail", args=["report-to-leaders-2006"]))

    html = response.content.decode()
    stated = {(s.irritant.ref, s.status) for s in response.context["status_reports"]}
    assert ("S-TS-04", IrritantStatus.INITIATED) in stated
    assert len(response.context["irritants"]) == 15  # P-TR-02 joined in round 3
    assert "North American leaders&#x27; summit, Cancun" in html
