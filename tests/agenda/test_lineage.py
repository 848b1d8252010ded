"""The record across editions: lineage links between items, from the seed to the pages, filters,
exports and the admin with its role rules."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.choices import LineageKind
from agenda.filters import IrritantFilterSet
from agenda.models import Irritant, Lineage

from ..factories import (
    IrritantFactory,
    LineageFactory,
    ReportFactory,
    SourceFactory,
    StatusReportFactory,
    UserFactory,
)
from ..pages import as_post, form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """P-A (2005) carried forward by P-B (2007), which P-C supersedes."""
    earlier = IrritantFactory(ref="P-A", title="First framework", countries=["MX", "US"])
    middle = IrritantFactory(ref="P-B", title="Framework implementation", countries=["MX", "US"])
    later = IrritantFactory(ref="P-C", title="Sector work", countries=["CA", "US"])
    montebello = ReportFactory(title="Montebello statement", released_on="2007-08-21")
    link = LineageFactory(
        irritant=middle, continues=earlier, report=montebello, note="committed to implementing"
    )
    link.sources.add(SourceFactory(url="https://www.pm.gc.ca/montebello"))
    LineageFactory(irritant=later, continues=middle, kind=LineageKind.SUPERSEDED_BY)
    return earlier, middle, later


# --- model -----------------------------------------------------------------------------------------
def test_an_item_cannot_continue_itself(chain):
    earlier, _middle, _later = chain
    link = Lineage(irritant=earlier, continues=earlier, kind=LineageKind.REFINED)

    with pytest.raises(ValidationError, match="cannot continue itself"):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_the_same_link_cannot_be_recorded_twice(chain):
    earlier, middle, _later = chain

    with pytest.raises(ValidationError, match="already on the record"):
        Lineage(irritant=middle, continues=earlier, kind=LineageKind.CARRIED_FORWARD).full_clean()
    Lineage(irritant=middle, continues=earlier, kind=LineageKind.REFINED).full_clean()  # another kind


def test_natural_key_round_trips(chain):
    _earlier, middle, _later = chain
    link = middle.lineage_links.get()

    assert Lineage.objects.get_by_natural_key(*link.natural_key()) == link
    assert link.natural_key() == ("P-B", "P-A", "carried-forward")


def test_history_keeps_each_version(chain):
    link = Lineage.objects.get(irritant__ref="P-B")
    link.kind = LineageKind.REFINED
    link.save()

    assert list(link.history.order_by("history_date").values_list("kind", flat=True)) == [
        "carried-forward",
        "refined",
    ]


# --- seed ------------------------------------------------------------------------------------------
def test_seed_links_rest_on_their_statements(seeded):
    links = {(link.continues.ref, link.irritant.ref): link for link in Lineage.objects.select_related(
        "irritant", "continues", "report")}  # fmt: skip

    assert set(links) == {("P-MG-03", "P-MG-07"), ("P-EN-05", "P-EN-11"), ("P-IP-02", "P-IP-03"),
                          ("P-EN-03", "P-EN-04")}  # fmt: skip
    rcf = links[("P-MG-03", "P-MG-07")]
    assert rcf.kind == LineageKind.CARRIED_FORWARD
    assert rcf.report.slug == "leaders-statement-montebello-2007"
    assert links[("P-EN-03", "P-EN-04")].kind == LineageKind.REFINED
    assert links[("P-IP-02", "P-IP-03")].confidence == "secondary"
    assert rcf.sources.filter(url="http://ito.ic.gc.ca/eic/site/spp-psp.nsf/eng/h_00011.html").exists()


# --- pages -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("ref", ["P-A", "P-B"])
def test_both_items_pages_show_the_link(analyst_client, chain, ref):
    html = analyst_client.get(reverse("agenda:irritant_detail", args=[ref])).content.decode()

    assert 'id="lineage-heading"' in html
    assert 'href="/irritants/P-B/"' in html or ref == "P-B"
    assert 'href="/irritants/P-A/"' in html or ref == "P-A"
    assert "Carried forward" in html
    assert "Montebello statement" in html
    assert "https://www.pm.gc.ca/montebello" in html
    assert "spp/lineage.css" in html
    assert ' style="' not in html.split('id="lineage-heading"')[1].split("</section>")[0]


def test_middle_item_shows_predecessor_and_successor_oldest_first(analyst_client, chain):
    html = analyst_client.get(reverse("agenda:irritant_detail", args=["P-B"])).content.decode()
    section = html.split('id="lineage-heading"')[1].split("</section>")[0]

    assert section.index("Continues P-A") < section.index("Continued by P-C")
    assert "Superseded by" in section


def test_links_stated_after_the_as_of_day_are_marked_later(analyst_client, chain):
    earlier, _middle, _later = chain
    StatusReportFactory(irritant=earlier, as_of=datetime.date(2005, 6, 27))  # on the record by 2006
    html = analyst_client.get(reverse("agenda:irritant_detail", args=["P-A"]), {"as_of": "2006-01-01"})
    section = html.content.decode().split('id="lineage-heading"')[1].split("</section>")[0]

    assert 'class="lineage-step later"' in section


# --- filters ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "refs"),
    [
        ({"continues": "true"}, {"P-B", "P-C"}),
        ({"continues": "false"}, {"P-A"}),
        ({"has_successor": "true"}, {"P-A", "P-B"}),
        ({"has_successor": "false"}, {"P-C"}),
        ({"continues": "true", "has_successor": "true"}, {"P-B"}),
    ],
)
def test_list_filters_on_lineage(chain, params, refs):
    filterset = IrritantFilterSet(params, queryset=Irritant.objects.all())

    assert {i.ref for i in filterset.qs} == refs


def test_list_page_offers_the_lineage_filters(analyst_client, chain):
    response = analyst_client.get(reverse("agenda:irritant_list"), {"has_successor": "true"})

    html = response.content.decode()
    assert 'name="continues"' in html and 'name="has_successor"' in html
    assert [i.ref for i in response.context["object_list"]] == ["P-A", "P-B"]


@settings(max_examples=30, deadline=None)
@given(value=st.text(min_size=1, max_size=12).filter(lambda v: v.strip() not in ("true", "false", "")))
def test_bad_lineage_filter_values_name_the_parameter(value):
    filterset = IrritantFilterSet({"has_successor": value}, queryset=Irritant.objects.all())

    assert not filterset.is_valid()
    assert "has_successor" in filterset.errors


# --- exports ---------------------------------------------------------------------------------------
def test_irritant_csv_names_the_earlier_items(analyst_client, chain):
    response = analyst_client.get(reverse("agenda:irritant_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["ref"]: row for row in csv.DictReader(io.StringIO(text))}

    assert rows["P-B"]["continues"] == "P-A (Carried forward)"
    assert rows["P-C"]["continues"] == "P-B (Superseded by)"
    assert rows["P-A"]["continues"] == ""


# --- admin and roles -------------------------------------------------------------------------------
def editor(code):
    user = UserFactory(is_staff=True)
    user.groups.set([Group.objects.get(name=f"Country editors ({code})")])
    return user


def add_link(client, user, *, irritant, continues, kind="refined"):
    """Open the admin's add page, fill in what a user picks, and submit what the form holds."""
    client.force_login(user)
    url = reverse("admin:agenda_lineage_add")
    page = client.get(url)
    assert page.status_code == 200
    data = as_post(
        form_fields(page.content, "lineage_form"), irritant=str(irritant.pk), continues=str(continues.pk),
        kind=kind,
    )  # fmt: skip
    return client.post(url, data)


def test_editor_links_two_items_of_its_country(client, chain):
    earlier, _middle, _later = chain
    newer = IrritantFactory(ref="P-D", countries=["MX"])

    response = add_link(client, editor("MX"), irritant=newer, continues=earlier)

    assert response.status_code == 302
    assert Lineage.objects.filter(irritant=newer, continues=earlier, kind="refined").exists()


def test_editor_cannot_link_an_item_its_country_is_not_part_of(client, chain):
    earlier, _middle, later = chain  # P-C is Canadian and American

    response = add_link(client, editor("MX"), irritant=later, continues=earlier)

    assert response.status_code == 200
    assert "only the editors of CA, US can change it" in response.content.decode()
    assert not Lineage.objects.filter(irritant=later, continues=earlier).exists()


def test_self_link_through_the_admin_names_the_fix(client, chain, staff_user):
    earlier, _middle, _later = chain

    response = add_link(client, staff_user, irritant=earlier, continues=earlier)

    assert response.status_code == 200
    assert "pick an earlier item" in response.content.decode()


def test_analyst_reads_links_but_cannot_add(client, chain):
    analyst = UserFactory(is_staff=True)
    analyst.groups.set([Group.objects.get(name="Analysts")])
    client.force_login(analyst)

    assert client.get(reverse("admin:agenda_lineage_changelist")).status_code == 200
    assert client.get(reverse("admin:agenda_lineage_add")).status_code == 403
