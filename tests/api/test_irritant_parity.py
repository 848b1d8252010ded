"""The irritant endpoint against the analyst list and the CSV export: the same parameters (the same
IrritantFilterSet), the same items in the same order for any filter, the same error messages."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from agenda.choices import NO_STATUS_PARAM as NO_STATUS
from agenda.choices import UNCLASSIFIED_PARAM as UNCLASSIFIED
from agenda.choices import AgendaSlug, CategoryBasis, IrritantCategory, IrritantStatus
from agenda.filters import SORT_KEYS, IrritantFilterSet
from agenda.models import Irritant, SignatureInitiative, WorkingGroup
from summits.models import Report

from .conftest import csv_refs, walk

pytestmark = pytest.mark.django_db

LIST = reverse("agenda:irritant_list")
EXPORT = reverse("agenda:irritant_export")
API = reverse("api:irritant-list")


def api_refs(client, params, page_size):
    rows, _pages = walk(client, API, {**params, "page_size": page_size})
    return [row["ref"] for row in rows]


def dates(start=2004, end=2011):
    return st.dates(datetime.date(start, 1, 1), datetime.date(end, 12, 31)).map(datetime.date.isoformat)


def parameters(draw, slugs):
    """A random query string of the list page: a few of its parameters (more would mostly match
    nothing), and now and then a bad value."""
    orderings = [*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)]
    valid = {
        "q": st.sampled_from(["border", "energy", "S-", "trade", "zz-no-match", " "]),
        "working_group": st.lists(st.sampled_from(slugs["groups"]), min_size=1, max_size=3),
        "agenda": st.sampled_from(AgendaSlug.values),
        "country": st.lists(st.sampled_from(["CA", "MX", "US"]), min_size=1, max_size=2),
        "scope": st.sampled_from(["bilateral", "trilateral"]),
        "category": st.lists(st.sampled_from([*IrritantCategory.values[1:], UNCLASSIFIED]), min_size=1),
        "category_basis": st.lists(st.sampled_from(CategoryBasis.values), min_size=1, max_size=2),
        "status": st.lists(st.sampled_from([*IrritantStatus.values, NO_STATUS]), min_size=1, max_size=3),
        "signature_initiative": st.sampled_from(slugs["signatures"]),
        "report": st.sampled_from(slugs["reports"]),
        "deadline_after": dates(),
        "deadline_before": dates(),
        "overdue": st.sampled_from(["true", "false"]),
        "no_target": st.sampled_from(["true", "false"]),
        "as_of": dates(2005, 2010),
        "ordering": st.lists(st.sampled_from(orderings), min_size=1, max_size=2).map(",".join),
    }
    bad = {
        "working_group": st.just(["no-such-group"]),
        "agenda": st.just("neither"),
        "as_of": st.sampled_from(["2006-02-30", "30/06/2006"]),
        "ordering": st.just("due"),
        "status": st.just(["finished"]),
        "page_size": st.just("0"),
    }
    names = draw(st.lists(st.sampled_from(sorted(valid)), max_size=3, unique=True), label="parameters")
    params = {name: draw(valid[name], label=name) for name in names}
    if draw(st.integers(0, 9), label="bad?") == 0:
        name = draw(st.sampled_from(sorted(bad)), label="bad parameter")
        params[name] = draw(bad[name], label=name)
    return params


@pytest.fixture
def slugs(seeded_module, db):
    return {
        "groups": list(WorkingGroup.objects.values_list("slug", flat=True)),
        "signatures": list(SignatureInitiative.objects.values_list("slug", flat=True)),
        "reports": list(Report.objects.values_list("slug", flat=True)),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_api_returns_the_list_and_csv_items_in_their_order_for_any_filter(analyst_client, slugs, data):
    params = parameters(data.draw, slugs)
    page_size = data.draw(st.sampled_from([7, 50]), label="page_size")

    filterset = IrritantFilterSet(params, queryset=Irritant.objects.all())
    api = analyst_client.get(API, params)
    event("bad parameters" if not filterset.is_valid() else "valid")
    if params.get("page_size") == "0":  # the API's own parameter
        assert api.status_code == 400 and "page_size" in api.json()
        return
    if not filterset.is_valid():
        # The list shows the FilterSet's messages; the API answers them as a 400, parameter by parameter.
        assert api.status_code == 400
        assert api.json() == {name: list(messages) for name, messages in filterset.errors.items()}
        html = analyst_client.get(LIST, params).content.decode()
        for messages in filterset.errors.values():
            for message in messages:
                assert message.replace("'", "&#x27;").replace('"', "&quot;") in html
        return

    exported = csv_refs(analyst_client, params)
    event(
        "no rows" if not exported else "one API page" if len(exported) <= page_size else "several API pages"
    )
    assert api_refs(analyst_client, params, page_size) == exported
    shown = analyst_client.get(LIST, params).context["object_list"]
    assert [item.ref for item in shown] == exported[: len(shown)]


def test_the_seed_gives_the_parity_test_something_to_compare(analyst_client, slugs):
    assert len(csv_refs(analyst_client, {})) > 50  # more than one list page
    assert len(csv_refs(analyst_client, {"status": "completed"})) > 1
    assert len(set(csv_refs(analyst_client, {"ordering": "status"}))) > 1
