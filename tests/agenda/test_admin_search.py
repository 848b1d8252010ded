"""The admin's search box finds what the analysts' list finds for the same text (agenda/search.py):
the irritant changelist those items, the changelists of targets, status reports and lineage links
the rows of those items. On PostgreSQL every one of them reads the full-text index."""

import pytest
from django.urls import reverse

from agenda.models import Lineage

from ..factories import DeadlineFactory, IrritantFactory, LineageFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("agenda:irritant_list")
QUERIES = [
    "pipeline",
    "Pipelines steel",
    "steel pipelines",
    "P-EN",
    "P-EN-01",
    "oléoduc",
    "border pipe",
    "zz",
]


@pytest.fixture
def items():
    made = [
        IrritantFactory(ref="P-EN-01", title="Steel pipelines", summary="Across the border"),
        IrritantFactory(ref="P-EN-02", title="Pipelines steel"),
        IrritantFactory(ref="P-EN-03", title="Softwood", summary="Oléoducs and pipelines"),
        IrritantFactory(ref="S-TS-01", title="Biometrics", summary="steel"),
    ]
    for item in made:
        DeadlineFactory(irritant=item, target_text="pipeline by 2008", note="steel")
        StatusReportFactory(irritant=item, note="pipelines")
    LineageFactory(irritant=made[1], continues=made[0])
    LineageFactory(irritant=made[3], continues=made[2])
    return made


def listed(client, q):
    return {item.ref for item in client.get(LIST, {"q": q}).context["page_obj"].object_list}


def admin_items(client, name, q, *paths):
    rows = client.get(reverse(f"admin:agenda_{name}_changelist"), {"q": q}).context["cl"].result_list
    if not paths:
        return {row.ref for row in rows}
    return {getattr(row, path).ref for row in rows for path in paths}


@pytest.mark.parametrize("q", QUERIES)
def test_the_irritant_changelist_finds_the_lists_items(staff_client, items, q):
    assert admin_items(staff_client, "irritant", q) == listed(staff_client, q)


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("name", ["deadline", "statusreport"])
def test_target_and_status_changelists_find_the_rows_of_the_lists_items(staff_client, items, name, q):
    assert admin_items(staff_client, name, q, "irritant") == listed(staff_client, q)


@pytest.mark.parametrize("q", QUERIES)
def test_the_lineage_changelist_finds_the_links_of_the_lists_items(staff_client, items, q):
    found = listed(staff_client, q)
    rows = staff_client.get(reverse("admin:agenda_lineage_changelist"), {"q": q}).context["cl"].result_list

    assert {row.pk for row in rows} == {
        link.pk for link in Lineage.objects.all() if {link.irritant.ref, link.continues.ref} & found
    }


def test_an_empty_search_lists_every_row(staff_client, items):
    response = staff_client.get(reverse("admin:agenda_statusreport_changelist"), {"q": "  "})

    assert len(response.context["cl"].result_list) == len(items)
