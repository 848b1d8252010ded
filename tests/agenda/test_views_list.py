"""The irritant list through the client: columns, paging, filters, sorting, bad input, as of a day."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from agenda.choices import CategoryBasis, IrritantCategory, IrritantStatus
from agenda.models import Irritant
from tests.factories import (
    DeadlineFactory,
    IrritantFactory,
    StatusReportFactory,
)

from .view_helpers import D

pytestmark = pytest.mark.django_db


# --- list ----------------------------------------------------------------------------------------
def test_list_shows_the_columns(analyst_client, group):
    irritant = IrritantFactory(ref="S-TS-01", title="Biometrics", working_group=group, countries=["CA", "MX"])
    DeadlineFactory(irritant=irritant, due_on=D(2006, 6, 30), target_text="within 12 months")
    DeadlineFactory(irritant=irritant, set_on=D(2006, 6, 1), due_on=D(2006, 7, 10), target_text="by July")
    StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)
    Irritant.objects.filter(pk=irritant.pk).update(
        category=IrritantCategory.EARLY_HARVEST, category_basis=CategoryBasis.DERIVED
    )

    html = analyst_client.get(reverse("agenda:irritant_list")).content.decode()

    assert f'href="{irritant.get_absolute_url()}"' in html
    assert "Biometrics" in html and "Traveller Security" in html and "Prosperity" in html
    assert ">CA</a> <a" in html and ">MX</a>" in html
    assert "Early harvest (derived)" in html
    # Dates in the reader's locale (DATE_FORMAT), the same on every page.
    assert 'class="badge status-ongoing"' in html and "June 15, 2006" in html
    assert "July 10, 2006" in html and "original June 30, 2006" in html and "slipped 10 days" in html
    assert 'class="overdue"' in html
    assert "1 irritant" in html


def test_list_cells_are_worded_in_each_reader_s_language(analyst_client, group):
    """The cells' wording is kept per value and language (agenda_tags): an English render first must
    not give its words to a French reader, nor the French ones back."""
    irritant = IrritantFactory(working_group=group, countries=["CA"])
    StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)
    Irritant.objects.filter(pk=irritant.pk).update(
        category=IrritantCategory.EARLY_HARVEST, category_basis=CategoryBasis.DERIVED
    )
    url = reverse("agenda:irritant_list")

    english, french, again = (
        analyst_client.get(url, {"lang": lang}).content.decode() for lang in ("en", "fr", "en")
    )

    assert "Early harvest (derived)" in english and "June 15, 2006" in english and ">Ongoing<" in english
    assert (
        "Résultats rapides (par déduction)" in french and "15 juin 2006" in french and ">En cours<" in french
    )
    assert "Early harvest" not in french and "June" not in french
    assert main(again) == main(english)


def main(html):
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_list_paginates_fifty_per_page(analyst_client):
    for n in range(51):
        IrritantFactory(ref=f"P-T-{n:03d}")
    first = analyst_client.get(reverse("agenda:irritant_list"))
    second = analyst_client.get(reverse("agenda:irritant_list"), {"page": 2})
    assert len(first.context["object_list"]) == 50
    assert [i.ref for i in second.context["object_list"]] == ["P-T-050"]
    assert "51 irritants" in first.content.decode()
    assert "?page=2" in first.content.decode()


def test_list_filters_from_the_query_string_and_links_exports_with_it(analyst_client):
    IrritantFactory(ref="CA-1", countries=["CA"])
    IrritantFactory(ref="MX-1", countries=["MX"])
    response = analyst_client.get(reverse("agenda:irritant_list"), {"country": "MX", "ordering": "-ref"})
    html = response.content.decode()
    assert [i.ref for i in response.context["object_list"]] == ["MX-1"]
    for name in ["irritant_export", "status_report_export", "deadline_export"]:
        assert f'href="{reverse(f"agenda:{name}")}?country=MX&amp;ordering=-ref"' in html
    assert "Country takes part: Mexico" in html  # the active filters summary
    assert 'href="?ordering=-ref"' in html  # removing the country filter keeps the rest


def test_list_sort_headers_toggle_direction(analyst_client):
    IrritantFactory()
    html = analyst_client.get(reverse("agenda:irritant_list"), {"ordering": "title"}).content.decode()
    assert 'href="?ordering=-title"' in html  # clicking the sorted column reverses it
    assert 'href="?ordering=target"' in html
    assert 'aria-sort="ascending"' in html


def test_list_with_bad_parameters_shows_the_errors_and_no_rows(analyst_client):
    IrritantFactory(ref="A")
    response = analyst_client.get(
        reverse("agenda:irritant_list"), {"status": "finished", "as_of": "2006-13-01", "country": "FR"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    for name in ["status", "as_of", "country"]:
        assert f"<code>{name}</code>" in html
    assert "finished is not one of the available choices" in html


@pytest.mark.parametrize("page", ["x", "9", "0"])
def test_list_with_a_bad_page_shows_an_error(analyst_client, page):
    IrritantFactory()
    response = analyst_client.get(reverse("agenda:irritant_list"), {"page": page})
    assert response.status_code == 200
    assert "<code>page</code>" in response.content.decode()
    assert list(response.context["object_list"]) == []


def test_list_as_of_shows_the_record_of_that_day(analyst_client):
    irritant = IrritantFactory(ref="A")
    DeadlineFactory(irritant=irritant, due_on=D(2006, 6, 30))
    StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.INITIATED)
    StatusReportFactory(irritant=irritant, as_of=D(2008, 4, 22), status=IrritantStatus.COMPLETED)

    now = analyst_client.get(reverse("agenda:irritant_list")).content.decode()
    then = analyst_client.get(reverse("agenda:irritant_list"), {"as_of": "2007-01-01"}).content.decode()

    assert "status-completed" in now and 'class="overdue"' not in now
    assert "status-initiated" in then and 'class="overdue"' in then
    assert "as it stood on <strong>Jan. 1, 2007</strong>" in then
    assert f'href="{irritant.get_absolute_url()}?as_of=2007-01-01"' in then


AS_OF_PAGES = [
    {"as_of": "2007-01-01"},
    {"as_of": "2007-01-01", "no_target": "true", "overdue": "false", "ordering": "-status_date"},
    {"as_of": "2007-01-01", "no_target": "false", "status": ["initiated", "none"], "ordering": "target"},
]


@pytest.mark.parametrize("params", AS_OF_PAGES)
def test_list_as_of_query_count_equals_todays_and_does_not_grow(
    analyst_client, params, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            irritant = IrritantFactory()
            DeadlineFactory(irritant=irritant, set_on=D(2006, 6, 15), due_on=D(2006, 6, 30))
            StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.INITIATED)

    grow(2)
    url = reverse("agenda:irritant_list")
    today = {key: value for key, value in params.items() if key != "as_of"}
    # each page cold: the shared caches (sessions, permissions, the list's filter fields, shared
    # pages) would otherwise answer the pages differently whatever the as-of join costs
    cache.clear()
    with django_assert_max_num_queries(20) as now:
        assert analyst_client.get(url, today).status_code == 200
    cache.clear()
    with django_assert_max_num_queries(len(now.captured_queries)):
        assert analyst_client.get(url, params).status_code == 200
    grow(30)
    cache.clear()
    with django_assert_max_num_queries(len(now.captured_queries)):
        assert analyst_client.get(url, params).status_code == 200
