import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agenda.choices import CategoryBasis, IrritantCategory, IrritantStatus
from agenda.models import Irritant
from agenda.rules import slippage_days

from ..factories import (
    AgendaFactory,
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def refreshed(irritant):
    return Irritant.objects.get(pk=irritant.pk)


def test_current_status_is_the_latest_report():
    irritant = IrritantFactory()
    StatusReportFactory(irritant=irritant, as_of=datetime.date(2006, 6, 15), status=IrritantStatus.ON_TRACK)
    StatusReportFactory(irritant=irritant, as_of=datetime.date(2007, 8, 21), status=IrritantStatus.COMPLETED)
    StatusReportFactory(irritant=irritant, as_of=datetime.date(2005, 11, 8), status=IrritantStatus.INITIATED)

    irritant = refreshed(irritant)

    assert irritant.current_status == IrritantStatus.COMPLETED
    assert irritant.current_status_on == datetime.date(2007, 8, 21)


def test_current_status_follows_edits_and_deletes():
    irritant = IrritantFactory()
    early = StatusReportFactory(
        irritant=irritant, as_of=datetime.date(2006, 1, 1), status=IrritantStatus.INITIATED
    )
    late = StatusReportFactory(
        irritant=irritant, as_of=datetime.date(2007, 1, 1), status=IrritantStatus.ONGOING
    )

    late.as_of = datetime.date(2005, 1, 1)
    late.save()
    assert refreshed(irritant).current_status == IrritantStatus.INITIATED

    early.delete()
    assert refreshed(irritant).current_status == IrritantStatus.ONGOING

    late.delete()
    assert refreshed(irritant).current_status == ""
    assert refreshed(irritant).current_status_on is None


def test_same_day_all_country_report_wins_over_per_country_ones():
    irritant = IrritantFactory(countries=["CA", "MX", "US"])
    day = datetime.date(2006, 6, 15)
    StatusReportFactory(
        irritant=irritant, as_of=day, status=IrritantStatus.COMPLETED, country=CountryFactory(code="CA")
    )
    StatusReportFactory(irritant=irritant, as_of=day, status=IrritantStatus.ON_TRACK)

    assert refreshed(irritant).current_status == IrritantStatus.ON_TRACK


def test_diverging_same_day_country_reports_give_the_slower_status():
    irritant = IrritantFactory(countries=["CA", "MX", "US"])
    day = datetime.date(2006, 6, 15)
    StatusReportFactory(
        irritant=irritant, as_of=day, status=IrritantStatus.ONGOING, country=CountryFactory(code="CA")
    )
    StatusReportFactory(
        irritant=irritant, as_of=day, status=IrritantStatus.INITIATED, country=CountryFactory(code="MX")
    )

    assert refreshed(irritant).current_status == IrritantStatus.INITIATED


def test_moved_deadline_keeps_the_original_and_slippage_counts_days():
    irritant = IrritantFactory()
    DeadlineFactory(irritant=irritant, set_on=datetime.date(2005, 6, 27), due_on=datetime.date(2006, 6, 30))
    DeadlineFactory(irritant=irritant, set_on=datetime.date(2006, 9, 7), due_on=datetime.date(2006, 12, 31))

    irritant = refreshed(irritant)

    assert irritant.deadlines.count() == 2
    assert irritant.original_due_on == datetime.date(2006, 6, 30)
    assert irritant.due_on == datetime.date(2006, 12, 31)
    assert slippage_days(irritant.due_on, irritant.original_due_on) == 184


def test_overdue_means_target_passed_and_not_closed():
    irritant = IrritantFactory()
    DeadlineFactory(irritant=irritant, set_on=datetime.date(2005, 6, 27), due_on=datetime.date(2006, 6, 30))
    irritant = refreshed(irritant)

    assert irritant.is_overdue(datetime.date(2006, 7, 1))
    assert not irritant.is_overdue(datetime.date(2006, 6, 30))
    StatusReportFactory(irritant=irritant, as_of=datetime.date(2006, 7, 1), status=IrritantStatus.COMPLETED)
    assert not refreshed(irritant).is_overdue(datetime.date(2007, 1, 1))


def test_database_rejects_an_unknown_status():
    report = StatusReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(report).objects.filter(pk=report.pk).update(status="finished")


def test_database_rejects_a_target_before_it_was_set():
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineFactory(set_on=datetime.date(2006, 1, 1), due_on=datetime.date(2005, 1, 1))


def test_database_rejects_a_category_without_basis():
    irritant = IrritantFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Irritant.objects.filter(pk=irritant.pk).update(category=IrritantCategory.LONG_TERM)


def test_refs_are_unique():
    IrritantFactory(ref="P-MG-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        IrritantFactory(ref="P-MG-01")


def test_clean_rejects_a_working_group_of_the_other_agenda():
    group = WorkingGroupFactory(agenda=AgendaFactory(slug="security"))
    irritant = IrritantFactory.build(working_group=group, agenda=AgendaFactory(slug="prosperity"))

    with pytest.raises(ValidationError) as excinfo:
        irritant.full_clean(exclude=["ref"])

    assert "working_group" in excinfo.value.message_dict


def test_clean_rejects_a_status_for_a_country_not_taking_part():
    irritant = IrritantFactory(countries=["CA", "US"])
    report = StatusReportFactory.build(irritant=irritant, country=CountryFactory(code="MX"))

    with pytest.raises(ValidationError) as excinfo:
        report.full_clean(exclude=["uid"])

    assert "country" in excinfo.value.message_dict


def test_clean_requires_a_category_when_staff_sets_one():
    irritant = IrritantFactory.build(category="", category_basis=CategoryBasis.STAFF)

    with pytest.raises(ValidationError) as excinfo:
        irritant.clean()

    assert "category" in excinfo.value.message_dict


def test_staff_category_survives_new_targets():
    irritant = IrritantFactory(category=IrritantCategory.LONG_TERM, category_basis=CategoryBasis.STAFF)
    report = ReportFactory(released_on=datetime.date(2005, 6, 27))
    DeadlineFactory(
        irritant=irritant, report=report, set_on=report.released_on, due_on=datetime.date(2005, 12, 31)
    )

    irritant = refreshed(irritant)

    assert irritant.category == IrritantCategory.LONG_TERM
    assert irritant.category_basis == CategoryBasis.STAFF


def test_summit_dates_must_be_in_order():
    from ..factories import SummitFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        SummitFactory(start_date=datetime.date(2007, 8, 21), end_date=datetime.date(2007, 8, 20))


def test_items_without_a_status_yet_stay_open_on_a_past_day():
    irritant = IrritantFactory()
    DeadlineFactory(irritant=irritant, set_on=datetime.date(2005, 6, 27), due_on=datetime.date(2006, 6, 30))
    StatusReportFactory(irritant=irritant, as_of=datetime.date(2008, 1, 1), status=IrritantStatus.COMPLETED)

    then = Irritant.objects.with_state(datetime.date(2007, 1, 1))

    assert list(then.overdue(today=datetime.date(2007, 1, 1))) == [irritant]
    assert not Irritant.objects.with_state().overdue(today=datetime.date(2007, 1, 1)).exists()
