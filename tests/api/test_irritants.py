"""The irritant endpoint on its own: as_of, nulls, links, errors, filtered detail."""

import datetime

import pytest
from django.urls import reverse

from agenda.choices import IrritantStatus
from tests.factories import DeadlineFactory, IrritantFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

API = reverse("api:irritant-list")


def test_an_item_as_it_stood_on_a_past_day(api_client):
    item = IrritantFactory(ref="P-MG-01", countries=["CA", "US"])
    DeadlineFactory(irritant=item, set_on=datetime.date(2005, 6, 27), due_on=datetime.date(2006, 6, 30))
    DeadlineFactory(irritant=item, set_on=datetime.date(2006, 8, 1), due_on=datetime.date(2007, 6, 30))
    StatusReportFactory(irritant=item, as_of=datetime.date(2006, 6, 1), status=IrritantStatus.DELAYED)
    StatusReportFactory(irritant=item, as_of=datetime.date(2008, 6, 1), status=IrritantStatus.COMPLETED)

    now = api_client.get(reverse("api:irritant-detail", args=["P-MG-01"])).json()
    then = api_client.get(reverse("api:irritant-detail", args=["P-MG-01"]), {"as_of": "2006-07-01"}).json()

    assert (now["status"], now["target"], now["original_target"]) == ("completed", "2007-06-30", "2006-06-30")
    assert now["slippage_days"] == 365 and now["overdue"] is False
    assert (then["status"], then["target"], then["slippage_days"]) == ("delayed", "2006-06-30", 0)
    assert then["overdue"] is True
    assert now["scope"] == "bilateral"
    assert [c["id"] for c in now["countries"]] == ["CA", "US"]
    assert now["countries"][0]["url"].endswith(reverse("api:country-detail", args=["CA"]))
    assert now["html_url"].endswith(item.get_absolute_url())
    assert now["status_reports"].endswith(reverse("api:status-report-list") + "?irritant=P-MG-01")


def test_an_item_nobody_reported_on_has_null_status_and_category(api_client):
    IrritantFactory(ref="S-X-01")
    row = api_client.get(API).json()["results"][0]
    assert (row["status"], row["category"], row["target"], row["scope"]) == (None, None, None, None)


def test_bad_parameters_answer_400_naming_each_parameter(api_client):
    response = api_client.get(API, {"status": "finished", "as_of": "2006-13-01", "country": "FR"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "as_of", "country"}
    assert "finished is not one of the available choices" in body["status"][0]


def test_a_filtered_out_item_is_not_found_by_its_ref(api_client):
    IrritantFactory(ref="A")
    url = reverse("api:irritant-detail", args=["A"])
    assert api_client.get(url).status_code == 200
    assert api_client.get(url, {"status": "completed"}).status_code == 404
