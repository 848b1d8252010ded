"""The dashboard's counts and lists on a day (agenda/progress.py): per group, overdue, upcoming."""

import datetime
from collections import Counter

import pytest

from agenda import progress
from agenda.choices import AgendaSlug, CategoryBasis, IrritantCategory, IrritantStatus
from agenda.progress import (
    add_years,
    overdue_items,
    progress_by_agenda,
    progress_by_category,
    progress_by_country,
    progress_by_working_group,
    upcoming_items,
)
from summits.choices import ReportKind
from tests.factories import AgendaFactory, DeadlineFactory, ReportFactory, WorkingGroupFactory

from .dashboard_data import COMPLETED, INITIATED, ONGOING, D, item

pytestmark = pytest.mark.django_db


def test_working_group_counts_by_current_status_including_no_status():
    group = WorkingGroupFactory(slug="energy")
    item(working_group=group, statuses=[(D(2006, 6, 15), COMPLETED)])
    item(working_group=group, statuses=[(D(2007, 8, 21), COMPLETED)])
    item(working_group=group)
    item(statuses=[(D(2006, 6, 15), INITIATED)])  # another group

    counts = progress_by_working_group()

    assert counts["energy"] == Counter({COMPLETED: 2, "": 1})


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


def test_seed_overdue_as_of_2007_includes_items_without_a_status(seeded):
    refs = {i.ref for i in overdue_items(day=D(2007, 1, 1), as_of=D(2007, 1, 1))}

    assert {"P-EN-01", "P-EN-03", "S-TS-01", "S-TS-05"} == refs


def test_status_colours_cover_every_status():
    assert set({*IrritantStatus, ""}) == {*IrritantStatus.values, ""}
    assert set(progress.STATUS_ORDER) == set({*IrritantStatus, ""})
