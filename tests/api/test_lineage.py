"""/api/lineage-links/: each link between a later item and the earlier one it continues, with links
(not copies) to both items, the report that states it and its sources; filtered by an item on either
side and by kind; reached from an item through its ``lineage`` link."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.choices import LineageKind
from agenda.models import Lineage
from tests.factories import IrritantFactory, LineageFactory, ReportFactory, SourceFactory

from .conftest import walk

pytestmark = pytest.mark.django_db

API = reverse("api:lineage-link-list")


@pytest.fixture
def chain():
    """P-A is carried forward by P-B, which P-C then supersedes; P-X refines P-Y (unrelated)."""
    a, b, c = (IrritantFactory(ref=ref) for ref in ("P-A", "P-B", "P-C"))
    report = ReportFactory(slug="montebello", released_on=datetime.date(2007, 8, 21), covers_through=None)
    first = LineageFactory(irritant=b, continues=a, kind=LineageKind.CARRIED_FORWARD, report=report)
    first.sources.add(SourceFactory(url="https://example.org/montebello"))
    LineageFactory(irritant=c, continues=b, kind=LineageKind.SUPERSEDED_BY)
    LineageFactory(
        irritant=IrritantFactory(ref="P-X"), continues=IrritantFactory(ref="P-Y"), kind=LineageKind.REFINED
    )
    return first


def test_a_link_names_both_items_its_statement_and_sources_as_links(api_client, chain):
    row = api_client.get(reverse("api:lineage-link-detail", args=[chain.pk])).json()

    assert row["irritant"]["id"] == "P-B" and row["continues"]["id"] == "P-A"
    assert row["irritant"]["url"].endswith(reverse("api:irritant-detail", args=["P-B"]))
    assert row["continues"]["url"].endswith(reverse("api:irritant-detail", args=["P-A"]))
    assert row["report"]["url"].endswith(reverse("api:report-detail", args=["montebello"]))
    assert (row["kind"], row["stated_on"]) == ("carried-forward", "2007-08-21")
    source = chain.sources.get()
    assert row["sources"] == [{"id": source.pk, "url": row["sources"][0]["url"]}]
    assert api_client.get(row["sources"][0]["url"]).json()["address"] == "https://example.org/montebello"
    for linked in (row["irritant"], row["continues"], row["report"]):
        assert api_client.get(linked["url"]).status_code == 200


def test_the_irritant_filter_takes_either_side_of_a_link(api_client, chain):
    def pairs(params):
        rows, _pages = walk(api_client, API, params)
        return [(row["continues"]["id"], row["irritant"]["id"]) for row in rows]

    assert pairs({"irritant": "P-B"}) == [("P-A", "P-B"), ("P-B", "P-C")]  # continues one, continued by one
    assert pairs({"irritant": "P-A"}) == [("P-A", "P-B")]
    assert pairs({"kind": "refined"}) == [("P-Y", "P-X")]
    assert pairs({"irritant": "P-B", "kind": "superseded-by"}) == [("P-B", "P-C")]
    assert pairs({"irritant": "P-NONE"}) == []


def test_an_item_links_to_its_lineage_as_a_filtered_list(api_client, chain):
    item = api_client.get(reverse("api:irritant-detail", args=["P-B"])).json()

    assert item["lineage"].endswith(f"{API}?irritant=P-B")
    rows = api_client.get(item["lineage"]).json()["results"]
    assert [(row["continues"]["id"], row["irritant"]["id"]) for row in rows] == [
        ("P-A", "P-B"),
        ("P-B", "P-C"),
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.text(min_size=1, max_size=15).filter(lambda s: s not in LineageKind.values))
def test_an_unknown_kind_is_a_400_naming_the_parameter(api_client, kind):
    response = api_client.get(API, {"kind": kind})

    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_the_seed_links_are_served(api_client, seeded):
    rows, _pages = walk(api_client, API)

    assert len(rows) == Lineage.objects.count() == 4
    served = {(row["continues"]["id"], row["irritant"]["id"], row["kind"]) for row in rows}
    stored = {(link.continues.ref, link.irritant.ref, link.kind) for link in Lineage.objects.all()}
    assert served == stored
    assert all(row["sources"] for row in rows)
