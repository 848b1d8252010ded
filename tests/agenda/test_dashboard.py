"""The dashboard: its selectors' numbers, the report comparison, the page, and who may see it."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from agenda import dashboard
from agenda.choices import AgendaSlug, CategoryBasis, IrritantCategory, IrritantStatus
from agenda.dashboard import (
    Group,
    add_years,
    compare_reports,
    overdue_items,
    progress_by_agenda,
    progress_by_category,
    progress_by_country,
    progress_by_working_group,
    progress_row,
    share_percent,
    upcoming_items,
)
from summits.choices import ReportKind
from tests.factories import (
    AgendaFactory,
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    StatusReportFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
COMPLETED = IrritantStatus.COMPLETED
INITIATED = IrritantStatus.INITIATED
ONGOING = IrritantStatus.ONGOING
URL = reverse("agenda:dashboard")


def item(*, statuses=(), deadlines=(), **kwargs):
    """An irritant with status reports ``(as_of, status)`` and deadlines ``(set_on, due_on)``."""
    irritant = IrritantFactory(**kwargs)
    for as_of, status in statuses:
        StatusReportFactory(irritant=irritant, as_of=as_of, status=status)
    for set_on, due_on in deadlines:
        DeadlineFactory(irritant=irritant, set_on=set_on, due_on=due_on)
    return irritant


# --- selectors ------------------------------------------------------------------------------------
def test_working_group_counts_by_current_status_including_no_status():
    group = WorkingGroupFactory(slug="energy")
    item(working_group=group, statuses=[(D(2006, 6, 15), COMPLETED)])
    item(working_group=group, statuses=[(D(2007, 8, 21), COMPLETED)])
    item(working_group=group)
    item(statuses=[(D(2006, 6, 15), INITIATED)])  # another group

    counts = progress_by_working_group()

    assert counts["energy"] == Counter({COMPLETED: 2, "": 1})


def test_progress_row_shares_of_three_items_two_completed():
    columns = [(COMPLETED, "Completed"), ("", "No status reported")]
    group = Group(key="energy", label="Energy", params={"working_group": "energy"})

    row = progress_row(group, Counter({COMPLETED: 2, "": 1}), columns=columns, as_of=None)

    assert row.total == 3
    assert [(c.count, c.percent) for c in row.cells] == [(2, 67), (1, 33)]
    assert row.cells[0].url == "/irritants/?working_group=energy&status=completed"
    assert row.cells[1].url == "/irritants/?working_group=energy&status=none"
    assert row.total_url == "/irritants/?working_group=energy"


def test_progress_row_links_carry_the_as_of_day():
    group = Group(key="CA", label="Canada", params={"country": "CA"})

    row = progress_row(group, Counter({ONGOING: 1}), columns=[(ONGOING, "Ongoing")], as_of=D(2007, 1, 1))

    assert row.cells[0].url == "/irritants/?country=CA&status=ongoing&as_of=2007-01-01"


def test_progress_row_for_a_group_the_list_cannot_filter_has_no_links():
    row = progress_row(Group(key=None, label="No group"), Counter({"": 2}), columns=[("", "")], as_of=None)

    assert row.total_url == "" and row.cells[0].url == ""


def test_share_percent_rounds_halves_up_and_survives_zero():
    assert [share_percent(2, 3), share_percent(1, 3), share_percent(1, 8), share_percent(0, 0)] == [
        67,
        33,
        13,
        0,
    ]


def test_as_of_counts_the_status_reported_by_that_day():
    group = WorkingGroupFactory(agenda=AgendaFactory(slug=AgendaSlug.SECURITY))
    item(working_group=group, statuses=[(D(2006, 6, 15), INITIATED), (D(2007, 8, 21), COMPLETED)])

    assert progress_by_agenda()["security"] == Counter({COMPLETED: 1})
    assert progress_by_agenda(D(2006, 12, 31))["security"] == Counter({INITIATED: 1})
    assert "security" not in progress_by_agenda(D(2005, 1, 1))  # not yet on the record (issue 8)


def test_category_counts_include_unclassified_and_the_basis():
    rtl_2005 = ReportFactory(kind=ReportKind.REPORT_TO_LEADERS, released_on=D(2005, 6, 27))
    derived = item(statuses=[(D(2006, 6, 15), COMPLETED)])
    DeadlineFactory(irritant=derived, report=rtl_2005, set_on=D(2005, 6, 27), due_on=D(2006, 3, 31))
    item(category=IrritantCategory.BIG_IMPACT, category_basis=CategoryBasis.STAFF)
    item(statuses=[(D(2006, 6, 15), INITIATED)])

    statuses, bases = progress_by_category()

    assert statuses == {
        IrritantCategory.EARLY_HARVEST: Counter({COMPLETED: 1}),
        IrritantCategory.BIG_IMPACT: Counter({"": 1}),
        "": Counter({INITIATED: 1}),
    }
    assert bases[IrritantCategory.EARLY_HARVEST] == Counter({CategoryBasis.DERIVED: 1})
    assert bases[IrritantCategory.BIG_IMPACT] == Counter({CategoryBasis.STAFF: 1})
    assert bases[""] == Counter({CategoryBasis.UNCLASSIFIED: 1})


def test_country_counts_items_once_per_country_taking_part():
    item(countries=["CA", "US"], statuses=[(D(2006, 6, 15), COMPLETED)])
    item(countries=["CA"], statuses=[(D(2006, 6, 15), INITIATED)])
    item()

    counts = progress_by_country()

    assert counts["CA"] == Counter({COMPLETED: 1, INITIATED: 1})
    assert counts["US"] == Counter({COMPLETED: 1})
    assert "MX" not in counts
    assert counts[None] == Counter({"": 1})


def test_overdue_means_target_in_force_passed_and_not_closed():
    late = item(
        ref="LATE", statuses=[(D(2006, 6, 15), ONGOING)], deadlines=[(D(2005, 6, 27), D(2006, 6, 30))]
    )
    item(ref="DONE", statuses=[(D(2006, 6, 15), COMPLETED)], deadlines=[(D(2005, 6, 27), D(2006, 6, 30))])
    item(ref="LATER", deadlines=[(D(2005, 6, 27), D(2008, 6, 30))])

    assert [i.ref for i in overdue_items(day=D(2007, 1, 1))] == [late.ref]


def test_overdue_as_of_counts_items_without_a_status_then():
    item(ref="SILENT", deadlines=[(D(2005, 6, 27), D(2006, 6, 30))])
    item(
        ref="DONE-LATER", statuses=[(D(2007, 8, 21), COMPLETED)], deadlines=[(D(2005, 6, 27), D(2006, 6, 30))]
    )

    refs = [i.ref for i in overdue_items(day=D(2007, 1, 1), as_of=D(2007, 1, 1))]

    assert refs == ["DONE-LATER", "SILENT"]  # same target; by ref
    assert [i.ref for i in overdue_items(day=D(2008, 1, 1), as_of=D(2008, 1, 1))] == ["SILENT"]


def test_overdue_as_of_uses_the_target_in_force_that_day():
    item(ref="MOVED", deadlines=[(D(2005, 6, 27), D(2006, 6, 30)), (D(2006, 9, 7), D(2008, 6, 30))])

    assert [i.ref for i in overdue_items(day=D(2006, 8, 1), as_of=D(2006, 8, 1))] == ["MOVED"]
    assert list(overdue_items(day=D(2007, 1, 1), as_of=D(2007, 1, 1))) == []


def test_upcoming_takes_open_targets_within_the_window():
    item(ref="TODAY", deadlines=[(D(2005, 6, 27), D(2006, 6, 30))])
    item(ref="SOON", deadlines=[(D(2005, 6, 27), D(2007, 6, 30))])
    item(ref="FAR", deadlines=[(D(2005, 6, 27), D(2008, 6, 30))])
    item(ref="DONE", statuses=[(D(2006, 6, 1), COMPLETED)], deadlines=[(D(2005, 6, 27), D(2007, 1, 31))])

    upcoming = upcoming_items(day=D(2006, 6, 30), until=D(2007, 6, 30), as_of=D(2006, 6, 30))

    assert [i.ref for i in upcoming] == ["TODAY", "SOON"]


def test_add_years_handles_leap_day_and_the_end_of_time():
    assert add_years(D(2008, 2, 29), 1) == D(2009, 2, 28)
    assert add_years(D(2006, 6, 15), 1) == D(2007, 6, 15)
    assert add_years(D(9999, 6, 1), 1) == datetime.date.max


# --- comparison -----------------------------------------------------------------------------------
@pytest.fixture
def two_reports():
    first = ReportFactory(slug="first", released_on=D(2005, 6, 27))
    second = ReportFactory(slug="second", released_on=D(2006, 9, 7), covers_through=D(2006, 6, 15))
    return first, second


def test_comparison_classifies_changed_new_unchanged_and_silent(two_reports):
    item(ref="CHANGED", statuses=[(D(2005, 6, 27), INITIATED), (D(2006, 6, 15), COMPLETED)])
    item(ref="NEW", statuses=[(D(2006, 6, 15), ONGOING)])
    item(ref="SAME", statuses=[(D(2005, 6, 1), INITIATED), (D(2006, 1, 1), INITIATED)])
    item(ref="SILENT")
    item(ref="AFTER", statuses=[(D(2006, 9, 7), COMPLETED)])  # after covers_through: not counted

    comparison = compare_reports(*two_reports)

    assert [(i.ref, i.from_status, i.to_status) for i in comparison.changed] == [
        ("CHANGED", INITIATED, COMPLETED)
    ]
    assert [(i.ref, i.to_status) for i in comparison.new] == [("NEW", ONGOING)]
    assert [i.ref for i in comparison.unchanged] == ["SAME"]
    assert [i.ref for i in comparison.still_without_status] == ["AFTER", "SILENT"]
    assert comparison.unchanged_by_status == [(IrritantStatus.INITIATED.label, 1)]
    assert (comparison.from_day, comparison.to_day) == (D(2005, 6, 27), D(2006, 6, 15))


def test_comparison_lists_slipped_targets_with_days(two_reports):
    item(ref="SLIPPED", deadlines=[(D(2005, 6, 27), D(2006, 6, 30)), (D(2006, 3, 31), D(2007, 6, 30))])
    item(ref="KEPT", deadlines=[(D(2005, 6, 27), D(2006, 6, 30))])
    item(ref="FIRST-SET", deadlines=[(D(2006, 3, 31), D(2007, 12, 31))])
    item(ref="MOVED-LATER-ON", deadlines=[(D(2005, 6, 27), D(2006, 6, 30)), (D(2006, 9, 7), D(2009, 1, 31))])

    comparison = compare_reports(*two_reports)

    assert [(i.ref, i.from_due, i.to_due, i.slipped_days) for i in comparison.slipped] == [
        ("SLIPPED", D(2006, 6, 30), D(2007, 6, 30), 365)
    ]
    assert [i.ref for i in comparison.targets_set] == ["FIRST-SET"]


def test_comparison_runs_one_query_whatever_the_number_of_items(two_reports, django_assert_num_queries):
    for n in range(5):
        item(statuses=[(D(2006, 6, 15), ONGOING)], deadlines=[(D(2005, 6, 27), D(2006 + n, 6, 30))])
    with django_assert_num_queries(1):  # counts and lists of every kind in one pass
        assert len(compare_reports(*two_reports).new) == 5

    for _n in range(20):
        item(statuses=[(D(2006, 6, 15), ONGOING)], deadlines=[(D(2005, 6, 27), D(2006, 6, 30))])
    with django_assert_num_queries(1):
        assert compare_reports(*two_reports).counts["new"] == 25


def test_comparison_lists_are_capped_but_counts_are_exact(two_reports, monkeypatch):
    monkeypatch.setattr("agenda.dashboard.LIST_LIMIT", 3)
    for _n in range(5):
        item(statuses=[(D(2006, 6, 15), ONGOING)])

    comparison = compare_reports(*two_reports)

    assert comparison.counts["new"] == 5
    assert len(comparison.new) == 3


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
def test_seed_2005_to_2006_comparison_lists_s_ts_04_as_newly_initiated(seeded):
    from summits.models import Report

    comparison = compare_reports(
        Report.objects.get(slug="report-to-leaders-2005"), Report.objects.get(slug="report-to-leaders-2006")
    )

    new = {i.ref: i.to_status for i in comparison.new}
    assert new["S-TS-04"] == INITIATED
    assert comparison.changed == []  # the June 2005 report stated almost no statuses
    assert len(comparison.new) + len(comparison.unchanged) + len(comparison.still_without_status) == 75


def test_seed_dashboard_page_shows_the_comparison_and_totals(seeded, analyst_client):
    response = analyst_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == 75
    assert 'href="/irritants/S-TS-04/">S-TS-04</a>' in html
    assert sum(sum(c.values()) for c in progress_by_agenda().values()) == 75


def test_seed_overdue_as_of_2007_includes_items_without_a_status(seeded):
    refs = {i.ref for i in overdue_items(day=D(2007, 1, 1), as_of=D(2007, 1, 1))}

    assert {"P-EN-01", "P-EN-03", "S-TS-01", "S-TS-05"} == refs


def test_status_colours_cover_every_status():
    assert set(dashboard.STATUS_COLORS) == {*IrritantStatus.values, ""}
    assert set(dashboard.STATUS_ORDER) == set(dashboard.STATUS_COLORS)


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
