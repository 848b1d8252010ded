"""The working group and country pages through the client."""

import pytest
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    IrritantFactory,
    LeadDepartmentFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

from .view_helpers import D

pytestmark = pytest.mark.django_db


# --- working group and country pages -------------------------------------------------------------
def test_working_group_page_counts_progress_and_names_leads(analyst_client, group):
    for ref, status in [("A", "completed"), ("B", "completed"), ("C", "ongoing")]:
        StatusReportFactory(irritant=IrritantFactory(ref=ref, working_group=group), status=status)
    IrritantFactory(ref="D", working_group=group)
    IrritantFactory(ref="ELSEWHERE")
    LeadDepartmentFactory(
        working_group=group, country=CountryFactory(code="MX"), department="SEGOB", level="agenda"
    )

    response = analyst_client.get(group.get_absolute_url())
    html = response.content.decode()

    assert [i.ref for i in response.context["irritants"]] == ["A", "B", "C", "D"]
    assert [(value, count) for value, _label, count in response.context["counts"]] == [
        ("ongoing", 1),
        ("completed", 2),
        ("", 1),
    ]
    assert "SEGOB" in html and "Agenda-level lead only" in html


def test_unknown_working_group_is_404(analyst_client):
    assert analyst_client.get(reverse("agenda:working_group_detail", args=["nope"])).status_code == 404


def test_country_page_lists_items_and_its_own_status_reports(analyst_client):
    both = IrritantFactory(ref="BOTH", countries=["CA", "MX"])
    StatusReportFactory(irritant=both, as_of=D(2006, 6, 15), status="ongoing")
    StatusReportFactory(
        irritant=both,
        as_of=D(2006, 6, 15),
        status="initiated",
        country=CountryFactory(code="MX"),
        note="MX lags",
    )
    IrritantFactory(ref="CA-ONLY", countries=["CA"])

    response = analyst_client.get(reverse("agenda:country_detail", args=["mx"]))  # any case

    assert response.status_code == 200
    assert [i.ref for i in response.context["irritants"]] == ["BOTH"]
    assert response.context["irritants"][0].country_status == "initiated"
    assert [r.note for r in response.context["country_reports"]] == ["MX lags"]


@pytest.mark.parametrize("code", ["ZZ", "usa", "c"])
def test_unknown_country_is_404(analyst_client, code):
    assert analyst_client.get(reverse("agenda:country_detail", args=[code])).status_code == 404


def test_working_group_page_pages_its_items_and_counts_them_all(analyst_client, monkeypatch):
    from agenda.views import ItemsPageMixin

    monkeypatch.setattr(ItemsPageMixin, "items_per_page", 2)
    group = WorkingGroupFactory(slug="energy-paged", name="Energy paged")
    for n in range(5):
        IrritantFactory(ref=f"P-PG-{n:02d}", working_group=group)

    first = analyst_client.get(reverse("agenda:working_group_detail", args=["energy-paged"]))
    third = analyst_client.get(reverse("agenda:working_group_detail", args=["energy-paged"]) + "?page=3")

    assert first.context["total"] == 5
    assert [i.ref for i in first.context["irritants"]] == ["P-PG-00", "P-PG-01"]
    assert [i.ref for i in third.context["irritants"]] == ["P-PG-04"]
    assert (
        analyst_client.get(
            reverse("agenda:working_group_detail", args=["energy-paged"]) + "?page=9"
        ).status_code
        == 404
    )
