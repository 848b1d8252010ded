"""Public read-only mode (SPP_PUBLIC_READ) over the whole open record: anonymous visitors read the
feeds, the changes page, the data package and the API; every write, on every URL the site has, stays
behind login, and no anonymous request changes a row."""

import io
import json
import re
import zipfile

import feedparser
import pytest
from django.apps import apps
from django.contrib.admindocs.views import simplify_regex
from django.core import serializers
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

DAYS = {"from": "2005-06-27", "to": "2006-06-15"}
READS = [
    (reverse("agenda:record_feed"), {}, "application/atom+xml"),
    (reverse("agenda:working_group_feed", args=["energy"]), {}, "application/atom+xml"),
    (reverse("agenda:country_feed", args=["MX"]), {}, "application/atom+xml"),
    (reverse("agenda:irritant_feed", args=["P-MG-07"]), {}, "application/atom+xml"),
    (reverse("agenda:changes"), DAYS, "text/html"),
    (reverse("agenda:datapackage"), {}, "application/zip"),
    (reverse("agenda:datapackage"), {"working_group": "energy"}, "application/zip"),
    (reverse("api:changes-list"), DAYS, "application/json"),
    (reverse("api:lineage-link-list"), {"irritant": "P-MG-07"}, "application/json"),
    (reverse("api:irritant-list"), {"working_group": "energy"}, "application/json"),
]


@pytest.fixture
def seed(seeded_module, db):
    pass


def test_anonymous_visitors_read_the_open_record_only_when_it_is_public(seed, client, settings):
    for url, params, _kind in READS:
        refused = client.get(url, params)
        assert refused.status_code in (302, 401), url
        if refused.status_code == 302:
            assert refused["Location"].startswith(resolve_url(settings.LOGIN_URL)), url

    settings.SPP_PUBLIC_READ = True
    for url, params, kind in READS:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(kind), url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if kind == "application/atom+xml":
            feed = feedparser.parse(content)
            assert not feed.bozo and feed.entries, url
        elif kind == "application/zip":
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                assert json.loads(package.read("datapackage.json"))["resources"], url
        elif kind == "application/json":
            assert json.loads(content), url
        else:
            assert "P-" in content.decode(), url  # the changes page lists items


# --- every write, on every URL ----------------------------------------------------------------------
def site_urls(patterns=None, prefix=""):
    """(path, name) of every URL pattern, each ``<parameter>`` filled with a value."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex.pattern.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        if isinstance(pattern, URLResolver):
            ns = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from ((path, ns + name) for path, name in site_urls(pattern.url_patterns, prefix + regex))
        else:
            path = simplify_regex(prefix + regex).replace("\\", "")
            yield re.sub(r"<(\w+)>", lambda m: "CA" if m[1] == "code" else "1", path), pattern.name or ""


def record_snapshot():
    """Every row of the record, the users, tokens and the admin's log, serialised."""
    labels = {"agenda", "summits", "auth", "authtoken", "admin"}
    return {
        model._meta.label: serializers.serialize("json", model._default_manager.order_by("pk"))
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


# Views a visitor may post to without logging in, none of which writes to the record: the site's and
# the admin's login and logout forms, the language switch (a cookie), the redirects of / (to the list)
# and of the favicon. The snapshot still checks that they change no row.
NOT_WRITES = {"login", "logout", "admin:login", "admin:logout", "set_language", "agenda:home", "/favicon.ico"}
# Where a refused anonymous write is sent: the site's login page, or the admin's for admin pages.
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


def test_every_write_on_every_url_stays_behind_login(seed, client, settings):
    settings.SPP_PUBLIC_READ = True
    before = record_snapshot()
    urls = sorted(set(site_urls()))
    assert (
        len(urls) > 100
        and ("/changes/", "agenda:changes") in urls
        and ("/data/", "agenda:datapackage") in urls
    )

    for path, name in urls:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(path, {"title": "Changed", "status": "dropped"})
            if name in NOT_WRITES or path in NOT_WRITES:
                continue
            status = response.status_code
            where = f"{method.upper()} {path} ({name}): {status}"
            if status == 302:
                assert response["Location"].startswith(LOGIN_PAGES), where
            else:
                assert status in (401, 403, 404, 405), where
    assert record_snapshot() == before
