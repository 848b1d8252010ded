"""A refresh of many items writes the dashboard counters once, after it has locked every item, so a
write of one of those items at the same time waits for it instead of deadlocking with it (issue 11).

Before, a refresh of more than one batch (5,000 items: a large import, ``manage.py refresh_derived``
inside a transaction) updated the counters after each batch: it held counter rows from the first
batch while a staff save of an item of a later batch held that item and waited for the same counter
rows; the refresh's next batch then waited for the item, and PostgreSQL aborted one of them."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from agenda import services, slips
from agenda.choices import IrritantStatus
from agenda.models import Irritant, StatusReport
from tests.factories import IrritantFactory, StatusReportFactory, WorkingGroupFactory

D = datetime.date


def counter_writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().startswith(("INSERT INTO", "WITH"))
        and ("agenda_statecount" in q["sql"] or "agenda_paircount" in q["sql"])
    ]


@pytest.mark.django_db
def test_a_refresh_in_batches_updates_the_counters_in_one_statement_per_table():
    group = WorkingGroupFactory()
    items = [IrritantFactory(working_group=group) for _ in range(5)]
    for item in items:
        StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)

    with CaptureQueriesContext(connection) as queries:
        services.irritants_refresh([item.pk for item in items], batch_size=2)

    assert len(counter_writes(queries)) == 2  # StateCount and PairCount, once each (3 batches)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite writers take the whole database")
@pytest.mark.django_db(transaction=True)
def test_a_save_during_a_refresh_of_many_batches_waits_for_it_instead_of_deadlocking(monkeypatch):
    group = WorkingGroupFactory()
    items = [IrritantFactory(working_group=group) for _ in range(2)]
    for item in items:  # the same counter keys: the save and the refresh update the same counter rows
        StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)
    # written behind Django's back (as an import does), so the refresh has the same counts to move
    # as the save below
    StatusReport.objects.bulk_create(
        [StatusReport(irritant_id=items[0].pk, as_of=D(2007, 8, 21), status=IrritantStatus.COMPLETED)]
    )
    first_batch_done = threading.Event()
    errors = []
    real_slips_insert = slips.slips_insert

    def slips_insert_then_pause(ids):
        real_slips_insert(ids)
        if ids and ids[0] == items[0].pk and not first_batch_done.is_set():
            first_batch_done.set()
            time.sleep(1.5)  # the save below starts meanwhile (it waits for the refresh or runs first)

    monkeypatch.setattr(slips, "slips_insert", slips_insert_then_pause)

    def refresh_all():
        try:
            with transaction.atomic():
                services.irritants_refresh([item.pk for item in items], batch_size=1)
        except Exception as exc:  # noqa: BLE001 - the failure is the test's finding
            errors.append(("refresh", exc))
        finally:
            connections.close_all()

    def save_second_item():
        first_batch_done.wait(10)
        try:
            with transaction.atomic():
                StatusReport.objects.create(
                    irritant_id=items[1].pk, as_of=D(2007, 8, 21), status=IrritantStatus.COMPLETED
                )
        except Exception as exc:  # noqa: BLE001
            errors.append(("save", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh_all), threading.Thread(target=save_second_item)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert Irritant.objects.get(pk=items[1].pk).current_status == IrritantStatus.COMPLETED
