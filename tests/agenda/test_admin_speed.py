"""The irritant change page (agenda/admin_speed.py, admin_render.py): the same page, byte for byte,
in fewer queries and less rendering, whatever the item's history and whoever opens it."""

import datetime
import re

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.forms.renderers import get_default_renderer
from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda import admin_render, admin_speed
from agenda.models import Irritant

from .. import pages
from ..factories import DeadlineFactory, IrritantFactory, StatusReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, item, data=None):
    url = reverse("admin:agenda_irritant_change", args=[item.pk])
    response = client.post(url, data) if data is not None else client.get(url)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def heavy(monkeypatch):
    """Django's own way for the rest of the test: no light fields, its renderer, its inline media."""
    monkeypatch.setattr(admin_speed, "light_form_fields", lambda fields: None)
    monkeypatch.setattr(admin_render.LeanRenderer, "python_version", lambda self, name: None)
    monkeypatch.setattr(admin_speed.FormsetMedia, "media", helpers.InlineAdminFormSet.media)


@pytest.fixture
def ca_editor_client(client):
    user = UserFactory(is_staff=True)
    user.groups.set([Group.objects.get(name="Country editors (CA)")])
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["staff", "ca_editor", "ca_editor_on_another_countrys_item", "with_errors"])
def test_the_change_page_is_the_same_page(staff_client, monkeypatch, who, request):
    item = IrritantFactory(countries=["MX"] if who.endswith("item") else ["CA", "US"])
    StatusReportFactory(irritant=item)
    DeadlineFactory(irritant=item)
    client = staff_client if who in ("staff", "with_errors") else request.getfixturevalue("ca_editor_client")
    data = None
    if who == "with_errors":  # a blank title and a malformed date: the page comes back with its errors
        data = pages.form_data(page(client, item), form_id="irritant_form")
        data.update({"title": "", "status_reports-2-0-as_of": "21/08/2007", "status_reports-2-0-note": "<b>"})
    light = page(client, item, data)
    heavy(monkeypatch)

    assert light == page(client, item, data)
    assert light.count('name="status_reports-') > light.count('name="status_reports-0-')
    if who == "staff":
        assert 'data-ajax--url="/admin/autocomplete/"' in light
    if who == "with_errors":
        assert light.count('class="errorlist') >= 2


def test_every_template_rendered_in_python_is_djangos_own():
    """Fails when Django's templates change (an upgrade): check each Python version in
    agenda/admin_render.py against the new template, then update its SOURCES."""
    off = [name for name in admin_render.SOURCES if admin_render.LEAN.python_version(name) is None]
    assert off == []


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
    assert Irritant.countries.through._meta.db_table not in str(response.context["cl"].queryset.query)
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


# What a widget, label or error list may hold: markup to escape, safe markup, numbers, dates, tuples,
# and the True/False/None the templates treat apart.
TEXT = st.text(alphabet="ab <>&\"'é\n", max_size=6)
VALUE = st.one_of(
    st.none(),
    st.booleans(),
    TEXT,
    TEXT.map(mark_safe),
    st.integers(-(10**6), 10**6),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(),
    st.tuples(st.integers(), TEXT),
)
ATTRS = st.dictionaries(st.sampled_from(["id", "class", "required", "disabled", "data-x", "multiple"]), VALUE)
OPTION = st.fixed_dictionaries(
    {"value": VALUE, "label": VALUE, "attrs": ATTRS, "template_name": st.just(admin_render.OPTION_TEMPLATE)}
)
WIDGET = st.fixed_dictionaries(
    {
        "name": TEXT,
        "type": st.sampled_from(["text", "hidden", "date"]),
        "value": VALUE,
        "attrs": ATTRS,
        "optgroups": st.lists(
            st.tuples(st.one_of(st.none(), TEXT), st.lists(OPTION, max_size=3), st.integers())
        ),
    }
)
CONTEXTS = {
    **{
        name: st.fixed_dictionaries({"widget": WIDGET})
        for name in admin_render.SOURCES
        if name.startswith("django/forms/widgets/")
    },
    "django/forms/label.html": st.fixed_dictionaries(
        {
            "use_tag": st.booleans(),
            "tag": st.sampled_from(["label", "legend"]),
            "attrs": ATTRS,
            "label": VALUE,
        }
    ),
    "django/forms/errors/list/ul.html": st.builds(
        lambda errors: {"errors": ErrorList(errors), "error_class": "errorlist"}, st.lists(TEXT, max_size=2)
    ),
}
CONTEXTS["django/forms/errors/list/default.html"] = CONTEXTS["django/forms/errors/list/ul.html"]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_each_template_rendered_in_python_gives_the_engines_markup(data):
    name = data.draw(st.sampled_from(sorted(CONTEXTS)), label="template")
    context = data.draw(CONTEXTS[name], label="context")
    with translation.override(data.draw(st.sampled_from(["en", "fr", "es"]), label="language")):
        assert admin_render.LEAN.render(name, context) == get_default_renderer().render(name, context)
