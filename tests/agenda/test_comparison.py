"""The report comparison (agenda/comparison.py): kinds of change, slipped targets, one query."""

import pytest

from agenda.choices import IrritantStatus
from agenda.comparison import compare_reports

from .dashboard_data import COMPLETED, INITIATED, ONGOING, D, item

pytestmark = pytest.mark.django_db


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
    monkeypatch.setattr("agenda.progress.LIST_LIMIT", 3)
    for _n in range(5):
        item(statuses=[(D(2006, 6, 15), ONGOING)])

    comparison = compare_reports(*two_reports)

    assert comparison.counts["new"] == 5
    assert len(comparison.new) == 3


def test_seed_2005_to_2006_comparison_lists_s_ts_04_as_newly_initiated(seeded):
    from summits.models import Report

    comparison = compare_reports(
        Report.objects.get(slug="report-to-leaders-2005"), Report.objects.get(slug="report-to-leaders-2006")
    )

    new = {i.ref: i.to_status for i in comparison.new}
    assert new["S-TS-04"] == INITIATED
    assert comparison.changed == []  # the June 2005 report stated almost no statuses
    assert len(comparison.new) + len(comparison.unchanged) + len(comparison.still_without_status) == 75
