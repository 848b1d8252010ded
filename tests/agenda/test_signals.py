"""One write, one refresh: the rows one request saves (an item with its inline rows and countries)
refresh the item once, in the request's transaction, and change the record version once (issue 11)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda import services
from agenda.choices import IrritantStatus
from agenda.models import Deadline, Irritant, ItemState, RecordVersion, StatusReport
from tests.factories import CountryFactory, IrritantFactory
from tests.pages import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshes(monkeypatch):
    """The ids of each call of services.irritants_refresh, in order."""
    calls = []
    real = services.irritants_refresh

    def counted(ids, **kwargs):
        ids = list(ids)
        calls.append(sorted(set(ids)))
        return real(ids, **kwargs)

    monkeypatch.setattr(services, "irritants_refresh", counted)
    return calls


def version_bumps(queries):
    return [q for q in queries if q["sql"].startswith("UPDATE") and "agenda_recordversion" in q["sql"]]


def test_an_admin_save_with_inline_rows_refreshes_the_item_once(staff_client, refreshes):
    canada = CountryFactory(code="CA")
    item = IrritantFactory()
    url = reverse("admin:agenda_irritant_change", args=[item.pk])
    refreshes.clear()

    with CaptureQueriesContext(connection) as queries:
        response = submit(
            staff_client,
            url,
            form_id="irritant_form",
            changes={
                "countries": [str(canada.pk)],
                "status_reports-2-0-as_of": "2007-08-21",
                "status_reports-2-0-status": IrritantStatus.COMPLETED,
                "status_reports-2-0-note": "Montebello statement",
                "deadlines-2-0-set_on": "2006-09-07",
                "deadlines-2-0-target_text": "by December 2006",
                "deadlines-2-0-due_on": "2006-12-31",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert StatusReport.objects.filter(irritant=item).count() == 1
    assert Deadline.objects.filter(irritant=item).count() == 1
    assert list(item.countries.all()) == [canada]
    assert refreshes == [[item.pk]]
    assert len(version_bumps(queries.captured_queries)) == 1
    stored = Irritant.objects.get(pk=item.pk)
    assert (stored.current_status, stored.due_on) == (IrritantStatus.COMPLETED, datetime.date(2006, 12, 31))
    assert ItemState.objects.get(irritant=item, is_current=True).countries == 1  # CA's bit


def test_a_refused_admin_save_refreshes_nothing(staff_client, refreshes):
    item = IrritantFactory()
    url = reverse("admin:agenda_irritant_change", args=[item.pk])
    refreshes.clear()

    with CaptureQueriesContext(connection) as queries:
        response = submit(
            staff_client,
            url,
            form_id="irritant_form",
            changes={"status_reports-2-0-as_of": "21/08/2007", "status_reports-2-0-status": "completed"},
        )

    assert response.status_code == 200
    assert refreshes == []
    assert version_bumps(queries.captured_queries) == []


def test_a_save_outside_a_request_still_refreshes_at_once(refreshes):
    item = IrritantFactory()
    refreshes.clear()

    StatusReport.objects.create(
        irritant=item, as_of=datetime.date(2007, 8, 21), status=IrritantStatus.ONGOING
    )

    assert refreshes == [[item.pk]]
    assert Irritant.objects.get(pk=item.pk).current_status == IrritantStatus.ONGOING


def test_a_save_outside_a_request_changes_the_record_version_once():
    item = IrritantFactory()

    with CaptureQueriesContext(connection) as queries:
        StatusReport.objects.create(
            irritant=item, as_of=datetime.date(2007, 8, 21), status=IrritantStatus.ONGOING
        )

    assert len(version_bumps(queries.captured_queries)) == 1


def test_a_bulk_refresh_changes_the_record_version():
    item = IrritantFactory()
    before = RecordVersion.current()

    Irritant.objects.filter(pk=item.pk).refresh_derived()

    assert RecordVersion.current() != before
