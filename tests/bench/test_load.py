"""The load test's figures from locust's request records, and the form reader its staff saves use."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.forms import as_post_data, read_form, resubmit
from bench.paths.load import percentile, summarise
from tests.factories import DeadlineFactory, IrritantFactory, StatusReportFactory

T0 = 1_700_000_000.0


def test_summary_per_kind_leaves_the_warm_up_out():
    records = [
        [T0, "list", 5000.0, True],  # in the warm-up: not counted
        [T0 + 2, "list filtered", 100.0, True],
        [T0 + 3, "list", 300.0, False],
        [T0 + 4, "item", 200.0, True],
        [T0 + 5, "staff: save", 400.0, True],
        [T0 + 9.6, "dashboard", 400.0, True],  # ends at T0 + 10
    ]

    figures = summarise(records, warm_up=1)

    assert figures["analysts"]["requests"] == 4  # not the warm-up's, not the staff's
    assert figures["analysts"]["errors"] == 1
    assert figures["analysts"]["req_per_s"] == pytest.approx(4 / 9)
    assert figures["analysts"]["p50_s"] == pytest.approx(0.2)
    assert figures["analysts"]["p95_s"] == pytest.approx(0.4)
    assert figures["list"]["requests"] == 2 and figures["list"]["errors"] == 1
    assert figures["staff_save"] == {
        "requests": 1, "errors": 0, "req_per_s": pytest.approx(1 / 9),
        "p50_s": 0.4, "p95_s": 0.4, "min_s": 0.4, "max_s": 0.4,
    }  # fmt: skip
    assert summarise([], warm_up=1) == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1), st.floats(min_value=0.01, max_value=1))
def test_percentile_is_a_value_with_that_share_at_or_below_it(values, fraction):
    ordered = sorted(values)

    p = percentile(ordered, fraction)

    assert p in ordered
    assert sum(v <= p for v in ordered) >= fraction * len(ordered)
    assert sum(v < p for v in ordered) < fraction * len(ordered)


def test_read_form_submits_what_a_browser_would():
    html = """<form id="f" method="post">
      <input name="title" value="A &amp; B"><input type="checkbox" name="flag">
      <input type="checkbox" name="on" value="yes" checked><input name="off" value="x" disabled>
      <select name="one"><option value="a">A</option><option value="b">B</option></select>
      <select name="many" multiple><option value="1" selected>1</option><option selected>two</option></select>
      <textarea name="note">
line</textarea><input type="submit" name="_save" value="Save"><input type="file" name="upload">
    </form>"""

    fields = read_form(html, "f", submit="_save")

    assert fields == [
        ("title", "A & B"), ("on", "yes"), ("one", "a"), ("many", "1"), ("many", "two"),
        ("note", "line"), ("_save", "Save"),
    ]  # fmt: skip
    assert as_post_data(fields)["many"] == ["1", "two"]


@pytest.mark.django_db
def test_the_admin_change_form_saves_unchanged_when_resubmitted(client, staff_user):
    item = IrritantFactory()
    DeadlineFactory(irritant=item)
    StatusReportFactory(irritant=item)
    client.force_login(staff_user)
    item.refresh_from_db()  # the derived values the saves above wrote
    url = reverse("admin:agenda_irritant_change", args=[item.pk])
    bookkeeping = {"updated_at", "version"}  # a save touches these even when nothing changed
    fields = [f for f in item._meta.concrete_fields if f.name not in bookkeeping]
    before, saves = {f.name: getattr(item, f.attname) for f in fields}, item.history.count()

    response = resubmit(client, url, form_id="irritant_form", submit="_save")

    assert response.status_code == 302
    item.refresh_from_db()
    assert {f.name: getattr(item, f.attname) for f in fields} == before
    assert item.history.count() == saves + 1


def test_results_merge_replaces_a_run_and_keeps_the_order_of_the_rest():
    from bench.report import merge

    def entry(name, scale=10, figure=1):
        return {"name": name, "scale": scale, "database": "sqlite", "median_s": figure}

    existing = [entry("list"), entry("dashboard"), entry("export"), entry("seed"), entry("list", 100)]
    new = [entry("dashboard", figure=2), entry("dashboard.after_write", figure=2)]

    merged = merge(existing, new)

    assert [(e["name"], e["scale"], e["median_s"]) for e in merged] == [
        ("list", 10, 1), ("dashboard", 10, 2), ("dashboard.after_write", 10, 2), ("export", 10, 1),
        ("seed", 10, 1), ("list", 100, 1),
    ]  # fmt: skip
