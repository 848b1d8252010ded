"""Pages rendered once per state of the record and shared by every reader (spp_tracker/page_cache.py,
base.html): served without the view's work, exact after any write, each reader's own header, never
another language's or another reader's content.

A write through ``QuerySet.update()`` sends no signal, so it leaves the record's version as it was:
the tests use one to tell a page served from the cache (still the old text) from a fresh render."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.generic import TemplateView

from agenda.models import Irritant, RecordVersion
from spp_tracker.page_cache import SharedPage, SharedPageMixin
from tests.factories import IrritantFactory, UserFactory, WorkingGroupFactory

LIST = "/irritants/?ordering=title"


def content(response):
    """The page's main content (what is shared), without the site's header and footer."""
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.fixture
def shared(settings):
    settings.SPP_SHARED_CACHE = True


def analyst():
    return UserFactory(perms=["agenda.view_irritant"])


def retitle_unseen(item, title):
    """Change the title behind the cache's back: no signal, the version stays."""
    version = RecordVersion.current()
    Irritant.objects.filter(pk=item.pk).update(title=title)
    assert RecordVersion.current() == version


def record_queries(sql):
    return [q for q in sql if "agenda_irritant" in q or "agenda_workinggroup" in q]


def test_a_second_reader_gets_the_same_content_without_the_view_s_queries(db, client, shared):
    IrritantFactory.create_batch(3)
    client.force_login(analyst())
    first = client.get(LIST)
    client.force_login(other := analyst())

    with CaptureQueriesContext(connection) as captured:
        second = client.get(LIST)

    assert content(second) == content(first)
    sql = [q["sql"] for q in captured.captured_queries]
    # No filter form, no count, no rows, no countries: only the session, the reader and the version.
    assert record_queries(sql) == [], sql
    assert other.username in second.content.decode()  # the header stays the reader's own


@pytest.mark.parametrize("name", ["agenda:irritant_detail", "agenda:dashboard"])
def test_item_pages_and_the_dashboard_are_shared_too(db, client, shared, name):
    item = IrritantFactory(title="Shared once")
    url = reverse(name, args=[item.ref]) if name == "agenda:irritant_detail" else reverse(name)
    client.force_login(analyst())
    first = client.get(url)
    client.force_login(analyst())

    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)

    assert content(second) == content(first)
    assert record_queries([q["sql"] for q in captured.captured_queries]) == []


def test_any_write_shows_on_the_next_read(db, client, shared):
    item = IrritantFactory(title="Before the write")
    client.force_login(analyst())
    assert "Before the write" in client.get(LIST).content.decode()
    retitle_unseen(item, "Not seen: the version did not change")
    assert "Before the write" in client.get(LIST).content.decode()  # served from the cache

    item.refresh_from_db()
    item.title = "After the write"
    item.save()

    assert "After the write" in client.get(LIST).content.decode()


def test_pages_without_the_mixin_are_never_shared(db, client, shared):
    group = WorkingGroupFactory()
    item = IrritantFactory(working_group=group, title="Listed once")
    url = reverse("agenda:working_group_detail", args=[group.slug])
    client.force_login(analyst())
    assert "Listed once" in client.get(url).content.decode()

    retitle_unseen(item, "Listed again")

    assert "Listed again" in client.get(url).content.decode()


def test_without_a_shared_cache_every_reader_renders_the_page(db, client, settings):
    settings.SPP_SHARED_CACHE = False
    item = IrritantFactory(title="Rendered once")
    client.force_login(analyst())
    client.get(LIST)

    retitle_unseen(item, "Rendered again")

    assert "Rendered again" in client.get(LIST).content.decode()


def test_a_french_page_is_never_served_to_an_english_reader(db, client, shared):
    IrritantFactory(title="Alpha item")
    client.force_login(analyst())
    french = client.get(LIST + "&lang=fr")
    english = client.get(LIST + "&lang=en")

    assert 'lang="fr"' in french.content.decode() and 'lang="en"' in english.content.decode()
    assert "Exporter en CSV" in content(french) and "Exporter" not in content(english)
    assert "Export CSV" in content(english)


def test_each_query_string_keeps_its_own_page(db, client, shared):
    IrritantFactory(title="Alpha item")
    client.force_login(analyst())
    client.get(LIST)

    other_query = client.get(LIST + "&q=nothing-matches-this")

    assert "Alpha item" not in content(other_query)


def test_a_public_reader_never_sees_the_staff_s_links(db, client, shared, settings):
    settings.SPP_PUBLIC_READ = True
    IrritantFactory(title="Public item")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    staff_page = client.get(LIST)
    assert reverse("admin:index") in staff_page.content.decode()
    client.logout()

    with CaptureQueriesContext(connection) as captured:
        public_page = client.get(LIST)

    assert record_queries([q["sql"] for q in captured.captured_queries]) == []  # it was shared
    assert content(public_page) == content(staff_page)
    assert reverse("admin:index") not in public_page.content.decode()


def test_errors_are_not_stored(db, client, shared):
    item = IrritantFactory(title="Bad day")
    url = reverse("agenda:irritant_detail", args=[item.ref]) + "?as_of=not-a-day"
    client.force_login(analyst())
    assert client.get(url).status_code == 400

    retitle_unseen(item, "Still rendered")

    assert "Still rendered" in client.get(url).content.decode()


# --- the reader's own data stays out of shared parts ----------------------------------------------
READS_THE_READER = {
    "user": "{{ user.get_username }}",
    "perms": "{% if perms.agenda.change_irritant %}may edit{% endif %}",
    "csrf_token": '<form method="post">{% csrf_token %}</form>',
    "request.user": "{{ request.user.get_username }}",
}


class ReaderView(SharedPageMixin, TemplateView):
    template_name = "reads_the_reader.html"


@pytest.mark.parametrize("use", READS_THE_READER.values(), ids=READS_THE_READER.keys())
def test_a_part_that_reads_the_reader_is_rendered_for_each_reader_and_never_stored(
    db, shared, settings, use, caplog
):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "reads_the_reader.html": '{% extends "base.html" %}{% block content %}'
                            + use
                            + "{% endblock %}"
                        },
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    first, second = UserFactory(perms=["agenda.change_irritant"]), UserFactory()

    pages = [render_as(user) for user in (first, second)]

    if "get_username" in use:
        assert first.username in pages[0] and first.username not in pages[1]
        assert second.username in pages[1]
    if "may edit" in use:
        assert "may edit" in pages[0] and "may edit" not in pages[1]
    if "csrf" in use:
        first_token, second_token = (content_token(page) for page in pages)
        assert first_token and second_token and first_token != second_token
    assert "not shared" in caplog.text


def content_token(page):
    main = page[page.index('<main id="main"') :]
    return main.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def render_as(user):
    request = RequestFactory().get("/reads-the-reader/")
    request.user = user
    request.resolver_match = None
    html = ReaderView.as_view()(request).render().content.decode()
    assert SharedPage.of(request, "ReaderView").parts is None  # nothing was stored
    return html
