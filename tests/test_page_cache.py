"""The analysts' list rendered once per state of the record and shared by every reader
(spp_tracker/page_cache.py, base.html): exact after any write, each reader's own header."""

import pytest
from django.urls import reverse

from tests.factories import IrritantFactory, UserFactory

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


def test_a_second_reader_gets_the_same_content_without_the_list_queries(
    db, client, shared, django_assert_max_num_queries
):
    IrritantFactory.create_batch(3)
    client.force_login(analyst())
    first = client.get(LIST)
    client.force_login(other := analyst())

    with django_assert_max_num_queries(7) as captured:
        second = client.get(LIST)

    assert content(second) == content(first)
    sql = [q["sql"] for q in captured.captured_queries]
    # The view still pages (the count) and reads the version; the rows and their countries are not read.
    assert not any(q.startswith('SELECT "agenda_irritant"."id"') for q in sql), sql
    assert not any("agenda_irritant_countries" in q for q in sql), sql
    assert other.username in second.content.decode()  # the header stays the reader's own


def test_any_write_shows_on_the_next_read(db, client, shared):
    item = IrritantFactory(title="Before the write")
    client.force_login(analyst())
    assert "Before the write" in client.get(LIST).content.decode()

    item.title = "After the write"
    item.save()

    assert "After the write" in client.get(LIST).content.decode()


def test_query_string_and_language_keep_their_own_pages(db, client, shared):
    IrritantFactory(title="Alpha item")
    client.force_login(analyst())
    english = client.get(LIST)

    french = client.get(LIST + "&lang=fr")
    other_query = client.get(LIST + "&q=nothing-matches-this")

    assert content(french) != content(english)
    assert "Alpha item" not in content(other_query)


def test_without_a_shared_cache_every_reader_renders_the_page(
    db, client, django_assert_num_queries, settings
):
    settings.SPP_SHARED_CACHE = False
    IrritantFactory.create_batch(2)
    client.force_login(analyst())
    client.get(LIST)

    with django_assert_num_queries(len(_queries(client))):
        client.get(LIST)


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    return captured.captured_queries


def test_pages_not_listed_are_never_shared(db, client, shared, settings):
    settings.SPP_SHARED_PAGES = []
    IrritantFactory(title="Listed once")
    client.force_login(analyst())
    client.get(reverse("agenda:irritant_list"))
    IrritantFactory(title="Listed later")

    assert "Listed later" in client.get(reverse("agenda:irritant_list")).content.decode()
