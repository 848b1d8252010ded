"""A country editor who submits the page of another country's part (an item, a per-country status,
a lineage link) gets the admin's "no permission" page with the reason, not a bare 403; nothing is
written. Each test renders the page the editor sees (read-only) and submits its form as a browser
would."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agenda.models import Irritant, Lineage, StatusReport

from ..factories import CountryFactory, IrritantFactory, LineageFactory, StatusReportFactory, UserFactory
from ..pages import submit

pytestmark = pytest.mark.django_db

REFUSED = "You do not have permission to do this"


@pytest.fixture
def ca_editor(client):
    user = UserFactory(is_staff=True)
    user.groups.set([Group.objects.get(name="Country editors (CA)")])
    client.force_login(user)
    return user


def test_submitting_another_countrys_item_explains_the_refusal(client, ca_editor):
    item = IrritantFactory(ref="S-T-MX", title="Mexican item", countries=["MX", "US"])

    response = submit(
        client, reverse("admin:agenda_irritant_change", args=[item.pk]), form_id="irritant_form"
    )

    assert response.status_code == 403
    text = response.content.decode()
    assert REFUSED in text
    assert "S-T-MX concerns MX, US" in text  # the rule's reason (roles.write_error)
    assert Irritant.objects.get(pk=item.pk).title == "Mexican item"


def test_submitting_another_countrys_status_explains_the_refusal(client, ca_editor):
    shared = IrritantFactory(ref="S-T-ALL", countries=["CA", "MX", "US"])
    mexico = StatusReportFactory(irritant=shared, country=CountryFactory(code="MX"), note="Mexico's")

    response = submit(
        client, reverse("admin:agenda_statusreport_change", args=[mexico.pk]), form_id="statusreport_form"
    )

    assert response.status_code == 403
    text = response.content.decode()
    assert REFUSED in text
    assert "the per-country status of MX is for its own editors" in text
    assert StatusReport.objects.get(pk=mexico.pk).note == "Mexico's"


def test_submitting_a_link_between_other_countries_items_explains_the_refusal(client, ca_editor):
    link = LineageFactory(
        irritant=IrritantFactory(ref="S-T-MX2", countries=["MX"]),
        continues=IrritantFactory(ref="S-T-MX1", countries=["MX"]),
        note="kept",
    )

    response = submit(client, reverse("admin:agenda_lineage_change", args=[link.pk]), form_id="lineage_form")

    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert Lineage.objects.get(pk=link.pk).note == "kept"


def test_a_page_the_editor_may_change_still_saves(client, ca_editor):
    item = IrritantFactory(ref="S-T-CA", title="Canadian item", countries=["CA", "US"])

    response = submit(
        client,
        reverse("admin:agenda_irritant_change", args=[item.pk]),
        form_id="irritant_form",
        changes={"title": "Renamed by Canada"},
        extra={"_save": "Save"},
    )

    assert response.status_code == 302
    assert Irritant.objects.get(pk=item.pk).title == "Renamed by Canada"
