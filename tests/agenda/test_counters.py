"""The dashboard counters (StateCount, PairCount) hold one row per key: edits add to it in place, so
the tables do not grow with the number of edits (issue 11). Their exactness after any writes is the
hypothesis test in test_state_history.py."""

import datetime

import pytest
from django.db import connection, transaction

from agenda.choices import IrritantStatus
from agenda.models import PairCount, StateCount, StatusReport
from tests.factories import DeadlineFactory, IrritantFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def table_rows():
    return StateCount.objects.count(), PairCount.objects.count()


def test_edits_of_one_item_leave_the_counter_tables_bounded():
    groups = [WorkingGroupFactory(), WorkingGroupFactory()]
    item = IrritantFactory(working_group=groups[0], countries=["CA"])
    DeadlineFactory(irritant=item, set_on=D(2006, 1, 10), due_on=D(2008, 6, 30))
    report = StatusReport.objects.create(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)
    statuses = [IrritantStatus.DELAYED, IrritantStatus.ONGOING]

    def edit(n):
        report.status = statuses[n % 2]
        report.save()
        item.working_group = groups[n % 2]
        item.save()

    for n in range(4):  # every (status, group) the edits go through has been counted once
        edit(n)
    after_four = table_rows()

    for n in range(20):
        edit(n)

    assert table_rows() == after_four


def test_a_key_has_one_row_whatever_the_number_of_items_counted_in_it():
    group = WorkingGroupFactory()
    for n in range(3):
        item = IrritantFactory(ref=f"K-{n}", working_group=group)
        StatusReport.objects.create(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)

    rows = StateCount.objects.filter(dimension="agenda", status=IrritantStatus.ONGOING, is_current=False)
    rows = rows.exclude(n=0)  # keys an earlier test's deleted items left at 0 (readers skip them)

    assert rows.values_list("day", "n").get() == (D(2006, 6, 15), 3)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL setting")
def test_the_counter_statements_leave_the_sessions_work_mem_as_it_was():
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        with transaction.atomic():
            item = IrritantFactory()
            StatusReport.objects.create(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)
            cursor.execute("SHOW work_mem")
            during = cursor.fetchone()[0]

    assert during == before
