"""The text search (agenda/search.py): the analyst list's ``q``, the API and the admin search, on
SQLite (substring) and PostgreSQL (full-text, every word a prefix). Whatever is typed, no page
fails; every item found holds each word typed; a ref, or the beginning of one, finds its item."""

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda import search
from agenda.models import Irritant

from ..factories import IrritantFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("agenda:irritant_list")
API = reverse("api:irritant-list")
CHANGELIST = reverse("admin:agenda_irritant_changelist")
AUTOCOMPLETE = reverse("admin:autocomplete")
FIXTURE_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# The record's three languages: accented letters, apostrophes, hyphenated refs.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêàçñüöÉÑÇ0123456789"
word = st.text(alphabet=LETTERS, min_size=1, max_size=8)
separator = st.sampled_from([" ", "-", "'", ", ", ". ", "/", "  "])
sentence = st.lists(st.tuples(word, separator), min_size=1, max_size=6).map(
    lambda parts: "".join(w + s for w, s in parts).strip(" ,.")
)


def found(text):
    return list(Irritant.objects.search(text).order_by("ref"))


def holds(item, text):
    """Each word of ``text`` is in the item (case aside)."""
    haystack = f"{item.ref} {item.title} {item.summary}".lower()
    return all(w.lower() in haystack for w in search.words(text))


@FIXTURE_SETTINGS
@given(titles=st.lists(sentence, min_size=1, max_size=4), query=sentence)
def test_every_item_found_holds_each_word_typed(titles, query):
    for title in titles:
        IrritantFactory(title=title[:300], summary=title[::-1])
    for item in found(query):
        assert holds(item, query), (query, item.title)


@FIXTURE_SETTINGS
@given(title=sentence, data=st.data())
def test_a_word_of_the_title_or_its_beginning_finds_the_item(title, data):
    item = IrritantFactory(title=title)
    words = search.words(title)
    chosen = data.draw(st.sampled_from(words), label="word")
    prefix = chosen[: data.draw(st.integers(1, len(chosen)), label="length")]
    assert item in found(prefix)
    assert item in found(" ".join(reversed(words)) if search.full_text(Irritant.objects) else title)


@FIXTURE_SETTINGS
@given(ref=st.from_regex(r"[PS]-[A-Z]{2,4}-[0-9]{2}", fullmatch=True), data=st.data())
def test_a_ref_or_its_beginning_finds_the_item(ref, data):
    item = Irritant.objects.filter(ref=ref).first() or IrritantFactory(ref=ref)
    length = data.draw(st.integers(1, len(ref)), label="length")
    assert item in found(ref)
    assert item in found(ref[:length].lower())


@FIXTURE_SETTINGS
@given(query=st.text(max_size=40))
def test_no_text_typed_breaks_a_page(analyst_client, staff_client, query):
    IrritantFactory(title="Pipelines across the border", summary="Énergie, oléoducs")
    assert analyst_client.get(LIST, {"q": query}).status_code == 200
    assert analyst_client.get(API, {"q": query}).status_code in (200, 400)
    admin = staff_client.get(CHANGELIST, {"q": query})
    assert admin.status_code == 200 or (admin.status_code == 302 and "\x00" in query)


def test_the_admin_search_and_the_autocomplete_use_the_same_search(staff_client):
    pipeline = IrritantFactory(ref="P-EN-01", title="Pipelines")
    IrritantFactory(ref="P-EN-02", title="Steel")

    changelist = staff_client.get(CHANGELIST, {"q": "pipe"})
    chooser = staff_client.get(
        AUTOCOMPLETE,
        {"term": "P-EN-01", "app_label": "agenda", "model_name": "deadline", "field_name": "irritant"},
    )

    assert [item.ref for item in changelist.context["cl"].result_list] == ["P-EN-01"]
    assert [row["id"] for row in chooser.json()["results"]] == [str(pipeline.pk)]


def test_the_document_is_kept_by_the_database_on_every_write():
    item = IrritantFactory(title="Steel")
    Irritant.objects.filter(pk=item.pk).update(title="Softwood lumber")  # no save(), no signal

    assert found("softwood") == [item]
    assert found("steel") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_a_word_too_long_to_index_matches_nothing_and_punctuation_still_searches():
    IrritantFactory(ref="P-EN-01", title="Pipelines")
    assert found("x" * 3000) == []
    assert [item.ref for item in found("-")] == ["P-EN-01"]  # the substring search, as before


@pytest.mark.parametrize("page", [LIST, API, CHANGELIST])
def test_a_search_costs_the_same_queries_at_two_sizes(
    analyst_client, staff_client, django_assert_max_num_queries, page
):
    client = staff_client if page == CHANGELIST else analyst_client

    def make(n):
        for _ in range(n):
            StatusReportFactory(irritant=IrritantFactory(title="Pipelines", countries=["CA", "US"]))

    make(2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(page, {"q": "pipe"}).status_code == 200
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(page, {"q": "pipe"}).status_code == 200
