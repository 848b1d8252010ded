import pytest
from django.urls import reverse

from agenda.models import Irritant
from agenda.pagination import CappedPaginator

from ..factories import IrritantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 6)


def test_counts_exactly_below_the_cap(small_cap):
    IrritantFactory.create_batch(5)

    paginator = CappedPaginator(Irritant.objects.order_by("ref"), 2)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)


def test_stops_counting_above_the_cap(small_cap):
    IrritantFactory.create_batch(11)

    paginator = CappedPaginator(Irritant.objects.order_by("ref"), 2)

    assert paginator.capped
    assert paginator.num_pages == 3


def test_last_page_reads_the_end_of_the_order(small_cap):
    refs = [IrritantFactory(ref=f"P-Z-{n:02d}").ref for n in range(11)]

    page = CappedPaginator(Irritant.objects.order_by("ref"), 2).page("last")

    assert [i.ref for i in page.object_list] == refs[-2:]
    assert page.number is None and not page.has_next()


def test_last_page_below_the_cap_is_the_numbered_one(small_cap):
    IrritantFactory.create_batch(5)

    page = CappedPaginator(Irritant.objects.order_by("ref"), 2).page("last")

    assert page.number == 3
    assert len(page.object_list) == 1


def test_list_page_says_more_than_and_links_the_end(analyst_client, small_cap, monkeypatch):
    monkeypatch.setattr("agenda.views.IrritantListView.paginate_by", 2)
    for n in range(11):
        IrritantFactory(ref=f"P-Z-{n:02d}")

    first = analyst_client.get(reverse("agenda:irritant_list")).content.decode()
    last = analyst_client.get(reverse("agenda:irritant_list") + "?ordering=-ref&page=last")

    assert "More than 6 irritants" in first
    assert "page=last" in first
    refs = [i.ref for i in last.context["object_list"]]
    assert refs == ["P-Z-01", "P-Z-00"]  # the end of a descending list


def test_capped_count_does_not_sort(small_cap):
    """The count only needs to know how many rows match: ORDER BY in it makes PostgreSQL walk the
    sort index through every match (issue 11), so the count runs on the unordered queryset."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    IrritantFactory.create_batch(3)
    with CaptureQueriesContext(connection) as captured:
        assert CappedPaginator(Irritant.objects.order_by("ref"), 2).count == 3
    (query,) = captured.captured_queries
    assert "ORDER BY" not in query["sql"].upper()


@pytest.mark.parametrize("ordering", ["", "-target", "status", "category,-title"])
def test_a_deep_page_skips_rows_on_their_keys_and_shows_the_same_rows(monkeypatch, ordering):
    from agenda.filters import IrritantFilterSet

    from ..factories import DeadlineFactory, StatusReportFactory

    for n in range(9):
        item = IrritantFactory(countries=["CA", "US"][: n % 3])
        if n % 2:
            DeadlineFactory(irritant=item)
        if n % 3:
            StatusReportFactory(irritant=item)
    listed = IrritantFilterSet({"ordering": ordering} if ordering else {}, queryset=Irritant.objects.all()).qs

    def pages(deep):
        monkeypatch.setattr(CappedPaginator, "deep", deep)
        paginator = CappedPaginator(listed, 2)
        return [[(i.ref, i.country_count) for i in paginator.page(n).object_list] for n in range(1, 6)]

    assert pages(0) == pages(10_000)


def test_a_deep_list_page_costs_the_queries_of_the_first(
    analyst_client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(CappedPaginator, "deep", 2)
    IrritantFactory.create_batch(55)
    url = reverse("agenda:irritant_list")
    with django_assert_max_num_queries(20) as first:
        analyst_client.get(url)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = analyst_client.get(url, {"page": 2})
    assert len(response.context["object_list"]) == 5


def test_a_shared_deep_page_is_served_without_reading_a_row(analyst_client, settings, monkeypatch):
    """With a shared cache, the second reader of a deep page gets it without the view paging: no
    count, no skipped keys, no rows (the deep page's list() used to run before the cache was read)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SPP_SHARED_CACHE = True
    monkeypatch.setattr(CappedPaginator, "deep", 0)
    monkeypatch.setattr("agenda.views.IrritantListView.paginate_by", 2)
    for n in range(6):
        IrritantFactory(ref=f"P-Z-{n:02d}")
    url = reverse("agenda:irritant_list") + "?ordering=ref&page=2"
    assert "P-Z-03" in analyst_client.get(url).content.decode()

    with CaptureQueriesContext(connection) as captured:
        again = analyst_client.get(url).content.decode()

    assert "P-Z-03" in again and "P-Z-04" not in again
    assert not [q for q in captured.captured_queries if "agenda_irritant" in q["sql"]]
