import datetime

import pytest

from agenda.categories import derive_category, months_between
from agenda.choices import CategoryBasis, IrritantCategory, IrritantStatus
from agenda.models import Irritant
from summits.choices import ReportKind

from ..factories import DeadlineFactory, IrritantFactory, ReportFactory, StatusReportFactory

JUNE_2005 = datetime.date(2005, 6, 27)


def test_months_between_counts_calendar_months():
    assert months_between(JUNE_2005, datetime.date(2006, 6, 30)) == 12
    assert months_between(JUNE_2005, datetime.date(2008, 6, 30)) == 36
    assert months_between(JUNE_2005, datetime.date(2005, 6, 30)) == 0


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (datetime.date(2006, 1, 31), IrritantCategory.EARLY_HARVEST),  # 7 months
        (datetime.date(2006, 6, 30), IrritantCategory.EARLY_HARVEST),  # 12 months
        (datetime.date(2006, 7, 31), IrritantCategory.BIG_IMPACT),  # 13 months
        (datetime.date(2008, 6, 30), IrritantCategory.BIG_IMPACT),  # 36 months
        (datetime.date(2008, 12, 31), IrritantCategory.LONG_TERM),  # 42 months
    ],
)
def test_category_follows_the_original_target_horizon(due_on, expected):
    report = ReportFactory.build(kind=ReportKind.REPORT_TO_LEADERS, released_on=JUNE_2005)
    deadline = DeadlineFactory.build(report=report, set_on=JUNE_2005, due_on=due_on)

    assert derive_category(original=deadline, item_report=None, first_completed_on=None) == expected


def test_targets_set_outside_a_report_to_leaders_give_no_category():
    report = ReportFactory.build(kind=ReportKind.MINISTERS_STATEMENT, released_on=datetime.date(2007, 2, 23))
    deadline = DeadlineFactory.build(
        report=report, set_on=report.released_on, due_on=datetime.date(2007, 6, 30)
    )

    assert derive_category(original=deadline, item_report=None, first_completed_on=None) is None


def test_item_achieved_within_a_year_of_its_report_is_early_harvest():
    report = ReportFactory.build(kind=ReportKind.REPORT_TO_LEADERS, released_on=JUNE_2005)

    assert (
        derive_category(original=None, item_report=report, first_completed_on=datetime.date(2006, 6, 15))
        == IrritantCategory.EARLY_HARVEST
    )
    assert (
        derive_category(original=None, item_report=report, first_completed_on=datetime.date(2007, 8, 21))
        is None
    )
    assert derive_category(original=None, item_report=report, first_completed_on=None) is None


def test_undated_target_completed_late_stays_unclassified():
    report = ReportFactory.build(kind=ReportKind.REPORT_TO_LEADERS, released_on=JUNE_2005)
    deadline = DeadlineFactory.build(report=report, set_on=JUNE_2005, target_text="by fall 2005", due_on=None)

    assert (
        derive_category(original=deadline, item_report=None, first_completed_on=datetime.date(2008, 1, 1))
        is None
    )


@pytest.mark.django_db
def test_derived_category_is_stored_and_labelled_derived():
    report = ReportFactory(kind=ReportKind.REPORT_TO_LEADERS, released_on=JUNE_2005)
    irritant = IrritantFactory(report=report)
    DeadlineFactory(irritant=irritant, report=report, set_on=JUNE_2005, due_on=datetime.date(2008, 6, 30))

    irritant = Irritant.objects.get(pk=irritant.pk)

    assert irritant.category == IrritantCategory.BIG_IMPACT
    assert irritant.category_basis == CategoryBasis.DERIVED


@pytest.mark.django_db
def test_item_without_basis_is_unclassified():
    irritant = IrritantFactory()
    StatusReportFactory(irritant=irritant, status=IrritantStatus.ONGOING)

    irritant = Irritant.objects.get(pk=irritant.pk)

    assert irritant.category == ""
    assert irritant.category_basis == CategoryBasis.UNCLASSIFIED
