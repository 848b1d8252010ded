import datetime

import pytest

from agenda.categories import derive_category, months_between
from agenda.choices import CategoryBasis, IrritantCategory, IrritantStatus
from agenda.models import Irritant
from summits.choices import ReportKind

from ..factories import DeadlineFactory, IrritantFactory, ReportFactory, StatusReportFactory

JUNE_2005 = datetime.date(2005, 6, 27)
RTL_2005 = (ReportKind.REPORT_TO_LEADERS, JUNE_2005)


def derive(**given):
    values = {"has_target": True, "target_set_by": None, "original_due": None, "item_set_by": None,
              "first_completed_on": None}  # fmt: skip
    return derive_category(**{**values, **given})


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
    assert derive(target_set_by=RTL_2005, original_due=due_on) == expected


def test_targets_set_outside_a_report_to_leaders_give_no_category():
    ministers = (ReportKind.MINISTERS_STATEMENT, datetime.date(2007, 2, 23))

    assert derive(target_set_by=ministers, original_due=datetime.date(2007, 6, 30)) is None


def test_item_achieved_within_a_year_of_its_report_is_early_harvest():
    no_target = {"has_target": False, "item_set_by": RTL_2005}

    assert (
        derive(**no_target, first_completed_on=datetime.date(2006, 6, 15)) == IrritantCategory.EARLY_HARVEST
    )
    assert derive(**no_target, first_completed_on=datetime.date(2007, 8, 21)) is None
    assert derive(**no_target, first_completed_on=None) is None


def test_undated_target_counts_only_if_achieved_within_a_year():
    assert (
        derive(target_set_by=RTL_2005, original_due=None, first_completed_on=datetime.date(2008, 1, 1))
        is None
    )
    assert (
        derive(target_set_by=RTL_2005, original_due=None, first_completed_on=datetime.date(2006, 6, 15))
        == IrritantCategory.EARLY_HARVEST
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
