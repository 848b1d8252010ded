"""What changed between two dates: the computation, the page, its errors and its query count."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.changes import changes_between
from agenda.choices import IrritantStatus
from agenda.comparison import compare_reports
from summits.models import Report

from ..factories import (
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)
from ..pages import as_post, form_fields

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("agenda:changes")
START, END = D(2006, 1, 1), D(2007, 1, 1)


@pytest.fixture
def record():
    """One item for each kind of change in 2006, one that did not change, and one outside the window."""
    group = WorkingGroupFactory(name="Energy", slug="energy")
    other = WorkingGroupFactory(name="Traveller Security", slug="traveller-security")
    moved = IrritantFactory(ref="P-MOVED", working_group=group, countries=["CA", "US"])
    DeadlineFactory(irritant=moved, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
    DeadlineFactory(irritant=moved, set_on=D(2006, 9, 7), due_on=D(2007, 6, 30))
    done = IrritantFactory(ref="P-DONE", working_group=group, countries=["MX", "US"])
    StatusReportFactory(irritant=done, as_of=D(2005, 12, 1), status=IrritantStatus.ON_TRACK)
    StatusReportFactory(irritant=done, as_of=D(2006, 6, 15), status=IrritantStatus.COMPLETED)
    new = IrritantFactory(ref="S-NEW", working_group=other, countries=["MX"])
    StatusReportFactory(irritant=new, as_of=D(2006, 3, 1), status=IrritantStatus.INITIATED)
    DeadlineFactory(irritant=new, set_on=D(2006, 3, 1), due_on=D(2008, 12, 31))
    dropped = IrritantFactory(ref="S-DROP", working_group=other, countries=["CA"])
    StatusReportFactory(irritant=dropped, as_of=D(2005, 7, 1), status=IrritantStatus.DELAYED)
    StatusReportFactory(irritant=dropped, as_of=D(2006, 11, 1), status=IrritantStatus.DROPPED)
    same = IrritantFactory(ref="S-SAME", working_group=other)
    StatusReportFactory(irritant=same, as_of=D(2005, 7, 1), status=IrritantStatus.ONGOING)
    StatusReportFactory(irritant=same, as_of=D(2006, 7, 1), status=IrritantStatus.ONGOING)
    later = IrritantFactory(ref="S-LATER", working_group=other)
    StatusReportFactory(irritant=later, as_of=D(2008, 1, 1), status=IrritantStatus.INITIATED)
    return group


def refs(changes, key):
    return [item.ref for item in changes.lists[key]]


def test_each_kind_of_change_is_found(record):
    changes = changes_between(START, END)

    assert refs(changes, "added") == ["S-NEW"]
    assert refs(changes, "status_changed") == ["P-DONE", "S-DROP", "S-NEW"]
    assert refs(changes, "target_moved") == ["P-MOVED"]
    assert refs(changes, "target_set") == ["S-NEW"]
    assert refs(changes, "completed") == ["P-DONE"]
    assert refs(changes, "dropped") == ["S-DROP"]
    assert changes.total == 4  # S-SAME restated its status; S-LATER changed after the window


def test_old_and_new_values_and_slippage(record):
    moved = changes_between(START, END).lists["target_moved"][0]

    assert (moved.from_due, moved.to_due) == (D(2006, 6, 30), D(2007, 6, 30))
    done = changes_between(START, END).lists["completed"][0]
    assert (done.from_status, done.to_status) == (IrritantStatus.ON_TRACK, IrritantStatus.COMPLETED)


def test_counts_per_working_group_and_country(record):
    changes = changes_between(START, END)

    by_group = {row.key: row.counts for row in changes.by_working_group}
    assert by_group["energy"]["any"] == 2 and by_group["energy"]["completed"] == 1
    assert by_group["traveller-security"]["dropped"] == 1
    by_country = {row.key: row.counts["any"] for row in changes.by_country}
    assert by_country == {"CA": 2, "MX": 2, "US": 2}


def test_working_group_and_country_filters(record):
    assert changes_between(START, END, working_group=record).total == 2
    assert refs(changes_between(START, END, country="MX"), "status_changed") == ["P-DONE", "S-NEW"]


def test_page_lists_changes_with_links(analyst_client, record):
    response = analyst_client.get(URL, {"from": "2006-01-01", "to": "2007-01-01"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/irritants/P-MOVED/"' in html
    assert "2006-06-30 → 2007-06-30" in html
    assert "/irritants/?working_group=energy&amp;as_of=2007-01-01" in html
    assert "/irritants/?country=MX&amp;as_of=2007-01-01" in html


def test_page_form_resubmits_what_it_shows(analyst_client, record):
    first = analyst_client.get(URL, {"from": "2006-01-01", "to": "2007-01-01", "working_group": "energy"})
    fields = as_post(form_fields(first.content, "changes-form"))

    again = analyst_client.get(URL, fields)

    assert fields["working_group"] == ["energy"]
    assert again.status_code == 200
    assert again.context["changes"].total == 2


def test_from_after_to_is_refused_naming_the_field(analyst_client, record):
    response = analyst_client.get(URL, {"from": "2007-01-01", "to": "2006-01-01"})

    assert response.status_code == 400
    assert "to" in response.context["form"].errors
    assert "on or after" in response.content.decode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.text(max_size=20).filter(lambda s: s.strip() and not s.strip()[:1].isdigit()))
def test_malformed_dates_get_a_clear_error(analyst_client, bad):
    response = analyst_client.get(URL, {"from": bad, "to": "2006-01-01"})

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_missing_day_names_it(analyst_client):
    response = analyst_client.get(URL, {"from": "2006-01-01"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["to"]


def test_without_parameters_the_page_explains_itself(analyst_client):
    response = analyst_client.get(URL)

    assert response.status_code == 200
    assert response.context["changes"] is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def grow(n, group):
    for i in range(n):
        item = IrritantFactory(
            working_group=group, countries=["CA", "MX"], report=ReportFactory(released_on=D(2006, 5, 1))
        )
        StatusReportFactory(irritant=item, as_of=D(2005, 7, 1), status=IrritantStatus.INITIATED)
        StatusReportFactory(irritant=item, as_of=D(2006, 2, 1) + datetime.timedelta(days=i % 200))
        DeadlineFactory(irritant=item, set_on=D(2005, 7, 1), due_on=D(2006, 12, 31))
        DeadlineFactory(irritant=item, set_on=D(2006, 2, 1), due_on=D(2007, 12, 31))


def test_query_count_does_not_grow_with_rows(analyst_client, record, django_assert_max_num_queries):
    params = {"from": "2006-01-01", "to": "2007-01-01"}
    grow(3, record)
    # 4 for the session and permissions, 1 for the group choices, then counts per group and per
    # country and the listed items (one query each).
    with django_assert_max_num_queries(8) as few:
        assert analyst_client.get(URL, params).status_code == 200
    grow(30, record)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(URL, params).status_code == 200


# --- the dashboard's report comparison is a special case ----------------------------------------
def test_seed_changes_agree_with_the_dashboard_comparison(seeded):
    old, new = (
        Report.objects.get(slug="report-to-leaders-2005"),
        Report.objects.get(slug="report-to-leaders-2006"),
    )

    comparison = compare_reports(old, new)
    changes = changes_between(old.as_of, new.as_of)

    assert changes.counts["status_changed"] == comparison.counts["changed"] + comparison.counts["new"]
    assert changes.counts["target_set"] == comparison.counts["targets_set"]


def test_dashboard_comparison_links_to_the_changes_page(seeded, analyst_client):
    html = analyst_client.get(reverse("agenda:dashboard")).content.decode()

    assert f"{URL}?from=2005-06-27&amp;to=2006-06-15" in html
