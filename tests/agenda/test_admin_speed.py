"""The irritant change page (agenda/admin_speed.py): the same page, in fewer queries, whatever the
item's history."""

import datetime
import re

import pytest
from django.urls import reverse

from agenda import admin_speed
from agenda.models import Irritant

from ..factories import DeadlineFactory, IrritantFactory, StatusReportFactory

pytestmark = pytest.mark.django_db


def page(client, item):
    html = client.get(reverse("admin:agenda_irritant_change", args=[item.pk])).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_change_page_is_the_same_page(staff_client, monkeypatch):
    item = IrritantFactory(countries=["CA", "US"])
    StatusReportFactory(irritant=item)
    DeadlineFactory(irritant=item)
    light = page(staff_client, item)
    monkeypatch.setattr(admin_speed, "light_form_fields", lambda fields: None)

    assert light == page(staff_client, item)
    assert 'data-ajax--url="/admin/autocomplete/"' in light
    assert light.count('name="status_reports-') > light.count('name="status_reports-0-')


def test_the_change_page_costs_the_same_queries_at_two_sizes(staff_client, django_assert_max_num_queries):
    item = IrritantFactory(countries=["CA", "US"])

    def grow(n):
        start = item.status_reports.count()
        for day in range(start, start + n):
            StatusReportFactory(irritant=item, as_of=datetime.date(2006, 1, 1) + datetime.timedelta(days=day))
            DeadlineFactory(irritant=item, set_on=datetime.date(2005, 7, 1) + datetime.timedelta(days=day))

    grow(2)
    with django_assert_max_num_queries(20) as few:
        page(staff_client, item)
    grow(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(staff_client, item)


@pytest.mark.parametrize(
    "params", [{"countries__id__exact": "CA"}, {"countries__isnull": "True"}, {"countries__isnull": "False"}]
)
def test_the_country_filter_lists_each_item_once_without_distinct(staff_client, params):
    from summits.models import Country

    both = IrritantFactory(countries=["CA", "US"])
    IrritantFactory(countries=["US"])
    IrritantFactory()
    if "countries__id__exact" in params:
        params = {"countries__id__exact": Country.objects.get(code="CA").pk}
    response = staff_client.get(reverse("admin:agenda_irritant_changelist"), params)

    listed = [item.ref for item in response.context["cl"].result_list]
    assert len(listed) == len(set(listed))
    assert not response.context["cl"].queryset.query.distinct
    with_countries = {ref for ref in listed if Irritant.objects.get(ref=ref).countries.exists()}
    if "countries__id__exact" in params:
        assert listed == [both.ref]
    elif params["countries__isnull"] == "True":
        assert listed and not with_countries
    else:
        assert set(listed) == with_countries and len(listed) == 2


@pytest.mark.parametrize(
    "name",
    [
        "admin:agenda_irritant_changelist",
        "admin:agenda_statusreport_changelist",
        "admin:agenda_deadline_changelist",
    ],
)
def test_a_deep_admin_page_shows_the_same_rows(staff_client, monkeypatch, name):
    from agenda.admin import LargeTableMixin
    from agenda.pagination import CappedPaginator

    for day in range(5):
        item = IrritantFactory(countries=["CA"])
        StatusReportFactory(irritant=item, as_of=datetime.date(2006, 1, 1) + datetime.timedelta(days=day))
        DeadlineFactory(irritant=item)
    monkeypatch.setattr(LargeTableMixin, "list_per_page", 2)

    def shown(deep):
        monkeypatch.setattr(CappedPaginator, "deep", deep)
        response = staff_client.get(reverse(name), {"p": 2})
        return [obj.pk for obj in response.context["cl"].result_list]

    assert shown(0) == shown(10_000) and len(shown(0)) == 2
