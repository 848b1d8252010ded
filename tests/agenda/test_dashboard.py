"""The dashboard page: its numbers and links, its form, its queries, who may see it, its cache."""

import pytest
from django.urls import reverse

from agenda.choices import IrritantStatus
from agenda.progress import progress_by_agenda
from tests.factories import ReportFactory, StatusReportFactory, UserFactory, WorkingGroupFactory

from .dashboard_data import COMPLETED, INITIATED, ONGOING, D, item

pytestmark = pytest.mark.django_db

URL = reverse("agenda:dashboard")


# --- the page -------------------------------------------------------------------------------------
def test_dashboard_shows_numbers_with_drill_down_links(analyst_client):
    group = WorkingGroupFactory(slug="energy", name="Energy")
    item(working_group=group, statuses=[(D(2006, 6, 15), COMPLETED)])
    item(working_group=group, statuses=[(D(2006, 6, 15), COMPLETED)])
    item(working_group=group)

    response = analyst_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/irritants/?working_group=energy&amp;status=completed">2</a>' in html
    assert 'href="/irritants/?working_group=energy&amp;status=none">1</a>' in html
    assert "67%" in html and "33%" in html
    assert html.count("<svg") >= 5
    assert "derived from the targets" in html


def test_dashboard_as_of_changes_the_numbers_and_the_links(analyst_client):
    item(ref="X-1", statuses=[(D(2006, 6, 15), INITIATED), (D(2007, 8, 21), COMPLETED)])

    today = analyst_client.get(URL).context
    then = analyst_client.get(URL, {"as_of": "2006-12-31"}).context

    assert (today["completed"], today["with_status"]) == (1, 1)
    assert (then["completed"], then["with_status"]) == (0, 1)
    assert then["as_of"] == D(2006, 12, 31)
    assert then["overdue_url"] == "/irritants/?overdue=true&as_of=2006-12-31"


def test_dashboard_lists_overdue_and_upcoming_items(analyst_client):
    item(ref="P-LATE", deadlines=[(D(2005, 6, 27), D(2006, 6, 30))])
    item(ref="P-SOON", deadlines=[(D(2005, 6, 27), D(2007, 6, 30))])

    context = analyst_client.get(URL, {"as_of": "2007-01-01"}).context

    assert [(i.ref, i.days_overdue) for i in context["overdue"]] == [("P-LATE", 185)]
    assert [i.ref for i in context["upcoming"]] == ["P-SOON"]
    assert context["until"] == D(2008, 1, 1)


@pytest.mark.parametrize("as_of", ["yesterday", "2006-13-01", "2006-02-30", "15/06/2006"])
def test_invalid_as_of_is_a_visible_error(analyst_client, as_of):
    response = analyst_client.get(URL, {"as_of": as_of})

    assert response.status_code == 400
    assert "Enter the date as YYYY-MM-DD" in response.content.decode()
    assert "tables" not in response.context


def test_unknown_report_is_a_visible_error(analyst_client):
    response = analyst_client.get(URL, {"from": "no-such-report"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_undated_report_cannot_be_compared(analyst_client, two_reports):
    ReportFactory(slug="undated", released_on=None)

    response = analyst_client.get(URL, {"from": "first", "to": "undated"})

    assert response.status_code == 400


def test_comparing_backwards_is_a_visible_error(analyst_client, two_reports):
    response = analyst_client.get(URL, {"from": "second", "to": "first"})

    assert response.status_code == 400
    assert "on or after" in response.content.decode()


def test_comparison_defaults_to_the_two_reports_to_leaders(analyst_client):
    ReportFactory(slug="report-to-leaders-2005", released_on=D(2005, 6, 27))
    ReportFactory(slug="report-to-leaders-2006", released_on=D(2006, 9, 7), covers_through=D(2006, 6, 15))
    item(ref="S-NEW", statuses=[(D(2006, 6, 15), INITIATED)])

    comparison = analyst_client.get(URL).context["comparison"]

    assert (comparison.from_report.slug, comparison.to_report.slug) == (
        "report-to-leaders-2005",
        "report-to-leaders-2006",
    )
    assert [i.ref for i in comparison.new] == ["S-NEW"]


def test_comparison_params_choose_the_reports(analyst_client, two_reports):
    ReportFactory(slug="third", released_on=D(2007, 8, 21))
    item(ref="LATE-NEWS", statuses=[(D(2007, 8, 21), COMPLETED)])

    response = analyst_client.get(URL, {"from": "second", "to": "third"})

    assert [i.ref for i in response.context["comparison"].new] == ["LATE-NEWS"]
    assert "LATE-NEWS" in response.content.decode()


def test_without_the_default_reports_no_comparison_is_shown(analyst_client):
    response = analyst_client.get(URL)

    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "Pick two reports" in response.content.decode()


# --- queries --------------------------------------------------------------------------------------
def populate(n):
    first = ReportFactory(released_on=D(2005, 6, 27))
    second = ReportFactory(released_on=D(2006, 9, 7), covers_through=D(2006, 6, 15))
    for i in range(n):
        irritant = item(
            countries=["CA", "MX"] if i % 2 else ["US"],
            statuses=[(D(2006, 6, 15), [INITIATED, ONGOING, COMPLETED][i % 3])],
            deadlines=[(D(2005, 6, 27), D(2006, 6, 30)), (D(2006, 3, 1), D(2007 + i % 3, 6, 30))],
        )
        assert irritant.pk
    return {"from": first.slug, "to": second.slug}


@pytest.mark.parametrize(
    "params",
    [{}, {"as_of": "2006-12-31"}, "compare", "compare+as_of"],
    ids=["today", "as_of", "compare", "compare+as_of"],
)
def test_dashboard_query_count_does_not_grow_with_rows(analyst_client, django_assert_max_num_queries, params):
    def query(reports):
        if params == "compare":
            return reports
        if params == "compare+as_of":
            return {**reports, "as_of": "2006-12-31"}
        return params

    reports = populate(3)
    with django_assert_max_num_queries(24) as few:  # the cold path: nothing cached for this state yet
        assert analyst_client.get(URL, query(reports)).status_code == 200
    populate(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(URL, query(reports)).status_code == 200


# --- access ---------------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_users_without_the_permission_are_refused(client):
    client.force_login(UserFactory())

    assert client.get(URL).status_code == 403


def test_public_read_lets_anyone_in(client, settings):
    settings.SPP_PUBLIC_READ = True

    assert client.get(URL).status_code == 200


# --- the real record ------------------------------------------------------------------------------
def test_seed_dashboard_page_shows_the_comparison_and_totals(seeded, analyst_client):
    response = analyst_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == 75
    assert 'href="/irritants/S-TS-04/">S-TS-04</a>' in html
    assert sum(sum(c.values()) for c in progress_by_agenda().values()) == 75


def test_cached_dashboard_is_exact_after_every_kind_of_write(analyst_client, two_reports):
    url = reverse("agenda:dashboard")
    first = item(ref="P-CACHE-01")
    assert analyst_client.get(url).context["completed"] == 0
    assert analyst_client.get(url).context["completed"] == 0  # served from the cache

    StatusReportFactory(irritant=first, status=IrritantStatus.COMPLETED)  # a save
    assert analyst_client.get(url).context["completed"] == 1

    first.status_reports.get().delete()  # a delete
    assert analyst_client.get(url).context["completed"] == 0

    from agenda.imports import Importer

    data = b"ref,title,as of,status,country,stated by,confidence,note,sources\n"
    data += b"P-CACHE-01,,2007-01-01,completed,,,verbatim,bulk import,\n"
    assert Importer("status-reports").run(data, dry_run=False).written  # a bulk write
    assert analyst_client.get(url).context["completed"] == 1


def test_cached_dashboard_serves_repeat_views_in_few_queries(analyst_client, django_assert_max_num_queries):
    item(statuses=[(D(2006, 6, 15), ONGOING)])
    url = reverse("agenda:dashboard")
    analyst_client.get(url)

    with django_assert_max_num_queries(7):  # session, user, permissions, reports, version token
        assert analyst_client.get(url).status_code == 200
