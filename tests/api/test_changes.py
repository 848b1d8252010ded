"""/api/changes/: what changed between two days, as the /changes/ page shows it (the same
``changes_between``, the same form and messages). The API is checked against the page as a reader
sees it: its counts, its rows and its links, parsed from the HTML."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.changes import CHANGE_KINDS
from agenda.choices import IrritantStatus
from tests.factories import (
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    StatusReportFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

API = reverse("api:changes-list")
PAGE = reverse("agenda:changes")
D = datetime.date


# --- the page as a reader sees it ------------------------------------------------------------------
ROW = re.compile(
    r'<a class="ref" href="([^"]+)">([^<]+)</a>.*?<td class="nowrap">(.*?)</td>\s*'
    r'<td class="date">(.*?)</td>\s*<td class="num">(.*?)</td>',
    re.S,
)
BREAKDOWN_ROW = re.compile(
    r'<tr><th scope="row">(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</th>((?:<td class="num">\d+</td>)+)'
)


def statuses(cell):
    """The two statuses of a "then → now" cell (None: no status reported)."""
    return tuple(
        (match[1] if (match := re.search(r"status-([\w-]+)", part)) else None) for part in cell.split("→")
    )


def query(url):
    return parse_qs(urlsplit(html.unescape(url)).query) if url else None


def page_shows(text):
    """Counts, listed rows per kind and breakdown rows, as the page renders them."""
    counts = {"any": int(re.search(r"<strong>(\d+)</strong> items changed", text)[1])}
    for kind in CHANGE_KINDS:
        counts[kind.key] = int(re.search(rf'<a href="#{kind.key}"><strong>(\d+)</strong>', text)[1])
    rows = {}
    for kind in CHANGE_KINDS:
        section = text.split(f'<h2 id="{kind.key}">')[1].split("<h2")[0]
        rows[kind.key] = [
            (href, ref, *statuses(status), html.unescape(target).strip(), html.unescape(days).strip())
            for href, ref, status, target, days in ROW.findall(section)
        ]
    head = text.split('<ul class="counts">')[1].split(f'<h2 id="{CHANGE_KINDS[0].key}">')[0]
    groups, countries = (
        [(query(href), html.unescape(label), [int(n) for n in re.findall(r"\d+", cells)])
         for href, label, cells in BREAKDOWN_ROW.findall(part)]
        for part in head.split("<h2>")[1:3]
    )  # fmt: skip
    return counts, rows, groups, countries


def api_says(body):
    rows = {
        kind["kind"]: [
            (
                urlsplit(item["html_url"]).path,
                item["irritant"]["id"],
                item["from_status"],
                item["to_status"],
                f"{item['from_target'] or '—'} → {item['to_target'] or '—'}",
                "—" if item["slippage_days"] is None else str(item["slippage_days"]),
            )
            for item in kind["items"]
        ]
        for kind in body["kinds"]
    }
    counts = {kind["kind"]: kind["count"] for kind in body["kinds"]} | {"any": body["total"]}
    assert counts == body["counts"]
    keys = [kind.key for kind in CHANGE_KINDS]

    def breakdown(rows):
        return [(query(row["irritants"]), row["label"], [row["counts"][key] for key in keys]) for row in rows]

    return counts, rows, breakdown(body["by_working_group"]), breakdown(body["by_country"])


@pytest.fixture
def seed(seeded_module, db):
    pass


def dashboard_comparison_days(client):
    """The two Reports to Leaders' days, from the dashboard's link to the changes page."""
    text = client.get(reverse("agenda:dashboard")).content.decode()
    start, end = re.search(rf'href="{PAGE}\?from=([\d-]+)&amp;to=([\d-]+)"', text).groups()
    return {"from": start, "to": end}


def test_the_api_and_the_page_agree_on_the_seed(seed, analyst_client, api_client):
    reports_to_leaders = dashboard_comparison_days(analyst_client)
    assert reports_to_leaders == {"from": "2005-06-27", "to": "2006-06-15"}
    cases = [
        reports_to_leaders,
        {"from": "2006-06-15", "to": "2008-04-22", "working_group": "energy"},
        {"from": "2005-01-01", "to": "2010-12-31", "country": "MX"},
        {"from": "2007-01-01", "to": "2009-12-31", "working_group": "traveller-security", "country": "US"},
        {"from": "2006-06-15", "to": "2006-06-15"},
    ]
    shown_first = None
    for params in cases:
        page = analyst_client.get(PAGE, params)
        answer = api_client.get(API, params)
        assert page.status_code == answer.status_code == 200, params
        body = answer.json()
        shown = page_shows(page.content.decode())
        assert api_says(body) == shown, params
        assert (body["from"], body["to"]) == (params["from"], params["to"])
        assert query(body["html_url"]) == {key: [value] for key, value in params.items()}
        shown_first = shown_first or shown
    counts, rows, groups, countries = shown_first  # not a vacuous comparison: the page shows much
    assert counts["any"] > 0 and sum(len(listed) for listed in rows.values()) >= counts["any"]
    assert len(groups) > 3 and [row[1] for row in countries][:3] == ["Canada", "Mexico", "United States"]


def test_links_lead_to_the_items_and_filtered_lists(seed, api_client):
    body = api_client.get(API, {"from": "2005-06-27", "to": "2006-06-15", "working_group": "energy"}).json()

    assert body["working_group"]["id"] == "energy" and body["country"] is None
    assert api_client.get(body["working_group"]["url"]).json()["slug"] == "energy"
    listed = api_client.get(body["irritants"]).json()["results"]
    assert listed and all(row["working_group"]["id"] == "energy" for row in listed)
    assert query(body["irritants"]) == {"working_group": ["energy"], "as_of": ["2006-06-15"]}
    item = next(item for kind in body["kinds"] for item in kind["items"])
    assert api_client.get(item["irritant"]["url"]).json()["ref"] == item["irritant"]["id"]


DAY = st.dates(D(1990, 1, 1), D(2030, 12, 31)).map(D.isoformat)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    start=st.one_of(TEXT, DAY, st.none()),
    end=st.one_of(TEXT, DAY, st.none()),
    group=st.sampled_from(["", "energy", "no-such-group"]),
    country=st.sampled_from(["", "CA", "FR", "ca"]),
)
def test_bad_parameters_answer_400_with_the_pages_messages(
    seed, analyst_client, api_client, start, end, group, country
):
    params = {"working_group": group, "country": country}
    params |= {key: value for key, value in (("from", start), ("to", end)) if value is not None}

    page = analyst_client.get(PAGE, params)
    answer = api_client.get(API, params)

    assert answer.status_code == page.status_code
    if page.status_code == 400:
        messages = re.findall(r"<li><code>(\w+)</code>: (.*?)</li>", page.content.decode())
        assert messages
        assert sorted(answer.json().items()) == sorted(
            (name, [html.unescape(text) for field, text in messages if field == name])
            for name in dict(messages)
        )


def test_from_after_to_and_missing_days_are_named(api_client):
    assert api_client.get(API, {"from": "2007-01-01", "to": "2006-01-01"}).json() == {
        "to": ["Pick a day on or after the “from” day (2007-01-01)."]
    }
    assert set(api_client.get(API).json()) == {"from", "to"}
    assert "YYYY-MM-DD" in api_client.get(API, {"from": "June 2006", "to": "2007-01-01"}).json()["from"][0]


def test_the_schema_documents_the_parameters(client):
    operation = client.get(reverse("api:schema"), {"format": "json"}).json()["paths"][API]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert set(parameters) == {"from", "to", "working_group", "country"}
    assert parameters["from"]["required"] and parameters["to"]["required"]
    assert parameters["from"]["schema"] == {"type": "string", "format": "date"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Changes")


# --- queries: constant at any size ------------------------------------------------------------------
def grow(n, group):
    for i in range(n):
        item = IrritantFactory(
            working_group=group, countries=["CA", "MX"], report=ReportFactory(released_on=D(2006, 5, 1))
        )
        StatusReportFactory(irritant=item, as_of=D(2005, 7, 1), status=IrritantStatus.INITIATED)
        StatusReportFactory(irritant=item, as_of=D(2006, 2, 1) + datetime.timedelta(days=i % 200))
        DeadlineFactory(irritant=item, set_on=D(2005, 7, 1), due_on=D(2006, 12, 31))
        DeadlineFactory(irritant=item, set_on=D(2006, 2, 1), due_on=D(2007, 12, 31))


def test_queries_do_not_grow_with_the_record(api_client, django_assert_max_num_queries):
    group = WorkingGroupFactory()
    grow(3, group)
    for scope in ({}, {"working_group": group.slug, "country": "CA"}):
        params = {"from": "2006-01-01", "to": "2007-01-01", **scope}
        total = api_client.get(API, params).json()["total"]
        # the token and the user's permissions (3), the working group asked for (the form), then
        # counts per group, per country and the listed rows (3)
        with django_assert_max_num_queries(7) as few:
            first = api_client.get(API, params)
        assert first.json()["total"] == total >= 3
        grow(40, group)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert api_client.get(API, params).json()["total"] == total + 40
